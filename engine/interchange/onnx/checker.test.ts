/**
 * The exported models pass ONNX's own checker (`onnx.checker.check_model(full_check=True)`, which
 * also runs ONNX's shape inference), in Python. scripts/python-onnx.mjs finds or installs the onnx
 * package (Debian's python3-onnx, as root); where it cannot, this test is skipped and says why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The templates are pure functions producing documents; this test exports every one of them.
import { ONNX_TEMPLATES } from './noOnnxYet';
import { findOrInstallPythonOnnx } from '../../../scripts/python-onnx.mjs';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { GraphDocument } from '../../graph/document';
import { exportOnnx } from './export';
import { attentionDoc, convStackDoc, RAW_OPS_OUTPUTS, rawOpsDoc, recurrentDoc, sequenceDoc } from './testCases';

const found = findOrInstallPythonOnnx();
if (found.python === null) console.warn(`[onnx checker] skipped: ${found.reason}`);

const CHECK = `
import json, sys, onnx
results = {}
for path in sys.argv[1:]:
    try:
        onnx.checker.check_model(onnx.load(path), full_check=True)
        results[path] = "ok"
    except Exception as e:
        results[path] = f"{type(e).__name__}: {e}"
print(json.dumps(results))
`;

describe.skipIf(!found.python)('onnx.checker (Python onnx package)', () => {
  it('accepts every template and every test graph', async () => {
    const cases: [string, GraphDocument, string[] | undefined][] = [
      ...ONNX_TEMPLATES.map((t) => [t.id, t.build(new Date('2026-01-01T00:00:00Z')), undefined] as [string, GraphDocument, undefined]),
      ['conv-stack', convStackDoc(), undefined],
      ['sequence', sequenceDoc(), undefined],
      ['recurrent', recurrentDoc(), undefined],
      ['attention', attentionDoc(), undefined],
      ['raw-ops', rawOpsDoc(), RAW_OPS_OUTPUTS],
    ];
    const dir = mkdtempSync(join(tmpdir(), 'wiregrad-onnx-'));
    try {
      const paths: string[] = [];
      for (const [name, doc, outputs] of cases) {
        const program = await Program.create(doc, new CpuBackend());
        const path = join(dir, `${name}.onnx`);
        writeFileSync(path, exportOnnx(doc, await program.getWeights(), { outputs }).bytes);
        program.dispose();
        paths.push(path);
      }
      const run = spawnSync(found.python!, ['-c', CHECK, ...paths], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const results = JSON.parse(run.stdout) as Record<string, string>;
      expect(results).toEqual(Object.fromEntries(paths.map((p) => [p, 'ok'])));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
