/**
 * The scale workloads: their flop counts against sums worked out by hand, the grid's keys, and — the
 * check that makes the timings comparable — the tfjs forward built from the same layers gives the
 * same first-step loss and the same trained weights as Wiregrad's CPU reference backend.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { fixedBatch } from '../lib/models';
import { tf } from '../lib/tfjs';
import { initialWeights, wiregradCase } from '../lib/wiregrad';
import { tfjsScaleCase } from './tfjsCase';
import { cnn, mlp, QUICK_GRID, scaleCells, stepFlops, type ScaleWorkload } from './workloads';

describe('stepFlops', () => {
  it('counts 3 × 2 × the multiply-adds of the forward pass', () => {
    const w = mlp(256, 128, 1);
    expect(stepFlops(w.layers, w.input, w.batch)).toBe(3 * 2 * 128 * (784 * 256 + 256 * 10));
    const c = cnn(4, 1);
    // conv1 1→16 and conv2 16→16 at 28×28, pool, conv3 and conv4 16→16 at 14×14, pool, dense 7·7·16 → 10.
    const forward = 2 * 32 * (28 * 28 * 9 * (1 * 16 + 16 * 16) + 14 * 14 * 9 * (16 * 16 * 2) + 7 * 7 * 16 * 10);
    expect(stepFlops(c.layers, c.input, c.batch)).toBe(3 * forward);
  });

  it('names the cells by family and rejects a CNN deeper than 28×28 allows', () => {
    expect(scaleCells(QUICK_GRID, 1).map((c) => c.key)).toEqual([
      'mlp_w256',
      'mlp_w1024',
      'mlp_w4096',
      'mlp_b32',
      'mlp_b256',
      'mlp_b1024',
      'cnn_d2',
      'cnn_d4',
      'cnn_d8',
    ]);
    expect(() => cnn(9, 1)).toThrow(/CNN depth must be 1…8/);
  });
});

/** Two steps of `w` on Wiregrad's CPU backend and on tfjs-cpu from the same weights: losses and one weight after. */
async function bothSides(w: ScaleWorkload) {
  const batch = fixedBatch(w, 3);
  const weights = await initialWeights(w);
  const backend = new CpuBackend();
  const ours = await wiregradCase(w, batch, backend);
  await tf.setBackend('cpu');
  const theirs = tfjsScaleCase(w, batch, weights);
  const losses: [number, number][] = [];
  for (let s = 0; s < 2; s++) {
    await ours.step();
    await theirs.step();
    losses.push([await ours.sync(), await theirs.sync()]);
  }
  const name = Object.keys(weights).find((n) => n.endsWith('/kernel'))!;
  const after = [(await backend.readVariable(name)) as Float32Array, await theirs.read(name)] as const;
  ours.dispose();
  theirs.dispose();
  backend.dispose();
  return { losses, before: weights[name]!.data, after };
}

describe('the tfjs forward of a scale workload', () => {
  for (const w of [mlp(32, 8, 1), cnn(2, 1, 2), cnn(3, 1, 2)]) {
    it(`matches Wiregrad's CPU reference on ${w.title}: first losses, second losses and an updated kernel`, async () => {
      const { losses, before, after } = await bothSides(w);
      for (const [ours, theirs] of losses) expect(Math.abs(theirs / ours - 1)).toBeLessThan(1e-4);
      expect(losses[1]![0]).not.toBe(losses[0]![0]); // the first update changed something
      let worst = 0;
      let moved = 0;
      for (let i = 0; i < before.length; i++) {
        worst = Math.max(worst, Math.abs(after[0][i]! - after[1][i]!));
        moved = Math.max(moved, Math.abs(after[0][i]! - before[i]!));
      }
      expect(moved).toBeGreaterThan(1e-4); // Adam moved the kernel by ~lr
      expect(worst).toBeLessThan(moved / 100);
    });
  }
});
