// No test is lost between the tiers: every test file on disk is run by exactly one Vitest project, as
// Vitest itself resolves them (`vitest list`), and the GPU tier is exactly the files that make a device.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isGpuTest, isReferenceTest, isSlowTest, testFilesOnDisk, testTiers } from './testTiers.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Test file → the projects Vitest would run it in. */
async function vitestProjects(): Promise<Map<string, string[]>> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  const { stdout } = await promisify(execFile)(process.execPath, ['node_modules/vitest/vitest.mjs', 'list', '--filesOnly', '--json'], {
    cwd: root,
    env,
    maxBuffer: 1 << 24,
  });
  const byFile = new Map<string, string[]>();
  for (const { file, projectName } of JSON.parse(stdout) as { file: string; projectName: string }[]) {
    const rel = file.slice(root.length);
    byFile.set(rel, [...(byFile.get(rel) ?? []), projectName]);
  }
  return byFile;
}

describe('test tiers', () => {
  it('every test file on disk is in exactly one tier, and the GPU tier is the files that create a device', async () => {
    const onDisk = testFilesOnDisk(root);
    expect(onDisk.length).toBeGreaterThan(100);
    const projects = await vitestProjects();
    const lost = onDisk.filter((f) => !projects.has(f));
    const twice = [...projects].filter(([, p]) => p.length !== 1).map(([f]) => f);
    expect(lost, 'test files no tier runs (add their folder to TEST_GLOBS in scripts/testTiers.mjs)').toEqual([]);
    expect(twice, 'test files in two tiers').toEqual([]);
    const { unit, slow, gpu, reference } = testTiers(root);
    const inProject = (name: string) =>
      [...projects]
        .filter(([, [p]]) => p === name)
        .map(([f]) => f)
        .sort();
    expect(inProject('unit')).toEqual(unit);
    expect(inProject('slow')).toEqual(slow);
    expect(inProject('gpu')).toEqual(gpu);
    expect(inProject('reference')).toEqual(reference);
    expect(slow).toContain('engine/graph/nodes/attention.learning.test.ts');
    expect(slow).toContain('engine/backends/wasm/kernels.wasm.test.ts');
    expect(gpu).toContain('engine/backends/webgpu/matmul.test.ts');
    expect(reference).toContain('engine/interchange/pytorch/export.test.ts');
    expect(projects.get('app/storage/schema.test.ts')).toEqual(['unit']);
  });

  it('puts a file that runs PyTorch or onnx in Python in the reference tier, unless it is a GPU test', () => {
    expect(isReferenceTest('engine/interchange/pytorch/x.test.ts', "import { findOrInstallPythonTorch } from '../../../scripts/python-torch.mjs';")).toBe(true);
    expect(isReferenceTest('engine/interchange/onnx/x.test.ts', "import { findOrInstallPythonOnnx } from '../../../scripts/python-onnx.mjs';")).toBe(true);
    expect(isReferenceTest('engine/graph/nodes/x.torch.gpu.test.ts', "import { findOrInstallPythonTorch } from '../../../scripts/python-torch.mjs';")).toBe(
      false,
    );
    expect(isReferenceTest('engine/graph/x.test.ts', "import { a } from './torchFixture';")).toBe(false);
  });

  it('puts learning proofs, slow proofs and the WASM build check in the slow tier, unless they are GPU or reference tests', () => {
    expect(isSlowTest('workers/x.learning.test.ts', '')).toBe(true);
    expect(isSlowTest('app/files/x.slow.test.ts', '')).toBe(true);
    expect(isSlowTest('engine/backends/wasm/x.test.ts', "import { buildWasm } from '../../../scripts/build-wasm.mjs';")).toBe(true);
    expect(isSlowTest('engine/backends/wasm/x.test.ts', "import { buildWasm } from './build-wasm';")).toBe(false);
    expect(isSlowTest('engine/graph/learning.test.ts', '')).toBe(false);
    expect(isSlowTest('engine/graph/x.learning.gpu.test.ts', '')).toBe(false);
    expect(isSlowTest('engine/graph/x.learning.test.ts', "import { gpuBackend } from '../../engine/backends/webgpu/testing';")).toBe(false);
    expect(isSlowTest('engine/x.slow.test.ts', "import { findOrInstallPythonTorch } from '../scripts/python-torch.mjs';")).toBe(false);
  });

  it('puts a file in the GPU tier by its name or by what it imports', () => {
    expect(isGpuTest('engine/compile/x.gpu.test.ts', '')).toBe(true);
    expect(isGpuTest('engine/backends/webgpu/x.test.ts', "import { gpuBackend } from './testing';")).toBe(true);
    expect(isGpuTest('engine/backends/webgpu/kernels/x.test.ts', "import { gpuBackend } from '../testing';")).toBe(true);
    expect(isGpuTest('workers/x.test.ts', "import { dawn } from '../engine/backends/webgpu/testing';")).toBe(true);
    expect(isGpuTest('bench/x.test.ts', "import { create } from 'webgpu';")).toBe(true);
    expect(isGpuTest('engine/backends/cpu/x.test.ts', "import { valuesFor } from './testing';")).toBe(false);
    expect(isGpuTest('app/x.test.ts', "import type { WebGpuBackend } from '../engine/backends/webgpu/backend';")).toBe(false);
  });
});
