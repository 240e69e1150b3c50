/**
 * The `wiregrad` launcher as a person runs it (a child process): Ctrl-C mid-run stops after the
 * current step, writes loadable weights and exits 130; bad input exits 2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launch } from './launchForTest';
import { TrainingConfig } from '../engine/graph/training';
import { readSafetensors } from '../engine/interchange/safetensors';
import { twoLayerDoc } from '../engine/testing/docs';
import { readEventFile } from './eventReader';

describe('the wiregrad command', () => {
  it('Ctrl-C (SIGINT) after the first progress line: stops cleanly, writes the weights so far, exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-sigint-'));
    const base = twoLayerDoc({ n: 32, dIn: 64, h: 32, dOut: 4, lr: 1e-5 });
    const doc = { ...base, training: TrainingConfig.parse({ ...base.training, validationSplit: 0, steps: 10_000_000 }) };
    writeFileSync(join(dir, 'doc.json'), JSON.stringify(doc));
    const out = join(dir, 'w.safetensors');
    let sent = false;
    const run = await launch(
      ['train', join(dir, 'doc.json'), '--backend', 'cpu', '--out', out, '--logdir', join(dir, 'logs'), '--histogram-every', '0'],
      (err, child) => {
        if (!sent && /\nstep \d+\/10000000/.test(err)) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(sent).toBe(true);
    expect(run.err).toContain('interrupted');
    expect(run.code).toBe(130);
    const file = readSafetensors(new Uint8Array(readFileSync(out)));
    expect([...file.tensors.keys()].sort()).toEqual(['w1.value', 'w2.value']);
    expect(file.tensors.get('w1.value')!.shape).toEqual([64, 32]);
    const step = Number(file.metadata.get('wiregrad.trained_steps'));
    expect(step).toBeGreaterThan(0);
    expect(run.err).toContain(`wrote the weights after step ${step}`);
    // Every step up to the last one is in the event file.
    const { readdirSync } = await import('node:fs');
    const events = readEventFile(join(dir, 'logs', readdirSync(join(dir, 'logs'))[0]!));
    expect(events.filter((e) => 'loss' in e.scalars).map((e) => e.step)).toEqual(Array.from({ length: step }, (_v, i) => i + 1));
  });

  it('exits 2 for a document that does not exist, and 0 for --help', async () => {
    const missing = await launch(['train', '/nonexistent/doc.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read /nonexistent/doc.json: no such file');
    expect((await launch(['--help'])).code).toBe(0);
  });
});
