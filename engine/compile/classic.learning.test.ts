/**
 * The seed's classic example, as a document: a 2-layer ReLU net fit with the sum-of-squares loss
 * to random data (N=64, D_in=1000, H=100, D_out=10) by plain gradient descent at lr 1e-6.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { builtinDataset } from '../data';
import { tensor } from '../eager';
import { twoLayerDoc } from '../testing/docs';
import { Program } from './program';

/** The same network in float64 with plain loops: an independent reference for the first steps. */
function referenceLosses(x: Float32Array, y: Float32Array, w1In: Float32Array, w2In: Float32Array, steps: number, lr: number): number[] {
  const [N, D, H, O] = [64, 1000, 100, 10];
  const w1 = Float64Array.from(w1In);
  const w2 = Float64Array.from(w2In);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const h = new Float64Array(N * H);
    for (let n = 0; n < N; n++)
      for (let d = 0; d < D; d++) {
        const xv = x[n * D + d]!;
        for (let j = 0; j < H; j++) h[n * H + j] += xv * w1[d * H + j]!;
      }
    const r = h.map((v) => Math.max(v, 0));
    const p = new Float64Array(N * O);
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) for (let o = 0; o < O; o++) p[n * O + o] += r[n * H + j]! * w2[j * O + o]!;
    let loss = 0;
    const gp = p.map((v, i) => {
      loss += (v - y[i]!) ** 2;
      return 2 * (v - y[i]!);
    });
    losses.push(loss);
    const gw2 = new Float64Array(H * O);
    const gr = new Float64Array(N * H);
    for (let n = 0; n < N; n++)
      for (let j = 0; j < H; j++)
        for (let o = 0; o < O; o++) {
          gw2[j * O + o] += r[n * H + j]! * gp[n * O + o]!;
          gr[n * H + j] += gp[n * O + o]! * w2[j * O + o]!;
        }
    const gw1 = new Float64Array(D * H);
    for (let n = 0; n < N; n++)
      for (let d = 0; d < D; d++) {
        const xv = x[n * D + d]!;
        for (let j = 0; j < H; j++) if (h[n * H + j]! > 0) gw1[d * H + j] += xv * gr[n * H + j]!;
      }
    for (let i = 0; i < w1.length; i++) w1[i] -= lr * gw1[i]!;
    for (let i = 0; i < w2.length; i++) w2[i] -= lr * gw2[i]!;
  }
  return losses;
}

describe('the 2-layer ReLU network with L2 loss on random data', () => {
  it('lowers the loss by more than 10^4 in 500 steps, tracking a float64 reference', async () => {
    const doc = twoLayerDoc();
    const program = await Program.create(doc, new CpuBackend());
    const data = builtinDataset(doc.training.dataset, doc.training.seed);
    const w = await program.getWeights();
    const reference = referenceLosses(data.data.x as Float32Array, data.data.y as Float32Array, w['w1/value']!, w['w2/value']!, 20, 1e-6);

    const losses: number[] = [];
    for (let s = 0; s < 500; s++) losses.push(await program.step({ x: data.data.x!, y: data.data.y! }));

    expect(program.paramCount).toBe(1000 * 100 + 100 * 10);
    expect(losses[0]).toBeGreaterThan(1e6); // randn weights give a loss around 3e7
    for (let s = 0; s < 20; s++) expect(losses[s]! / reference[s]!).toBeCloseTo(1, 3);
    expect(losses[0]! / losses[499]!).toBeGreaterThan(1e4);
    expect(losses.every(Number.isFinite)).toBe(true);
  }, 300_000);

  it('gives the same gradients as the eager API (PyTorch style) on the same weights and data', async () => {
    const doc = twoLayerDoc({ n: 8, dIn: 20, h: 6, dOut: 3 });
    const program = await Program.create(doc, new CpuBackend());
    const data = builtinDataset(doc.training.dataset, doc.training.seed);
    const w = await program.getWeights();
    await program.step({ x: data.data.x!, y: data.data.y! });
    const graphGrads = [await program.read('w1', 'grad'), await program.read('w2', 'grad')];

    const x = tensor(data.data.x!, [8, 20]);
    const y = tensor(data.data.y!, [8, 3]);
    const w1 = tensor(w['w1/value']!, [20, 6], { requiresGrad: true });
    const w2 = tensor(w['w2/value']!, [6, 3], { requiresGrad: true });
    const loss = x.matmul(w1).relu().matmul(w2).sub(y).pow(2).sum();
    loss.backward();

    const eager = [w1.grad!, w2.grad!];
    graphGrads.forEach((g, k) =>
      g.data.forEach((v, i) => {
        const e = eager[k]!.data[i]!;
        expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(e)));
      }),
    );
    expect(eager[0]!.toArray().some((v) => Math.abs(v) > 1e-2)).toBe(true);
    expect(graphGrads[0]!.shape).toEqual([20, 6]);
  });

  it('is deterministic: the same document and seed give bit-identical weights and losses', async () => {
    const run = async () => {
      const doc = twoLayerDoc({ n: 16, dIn: 50, h: 20, dOut: 4, lr: 1e-4, seed: 7 });
      const program = await Program.create(doc, new CpuBackend());
      const data = builtinDataset(doc.training.dataset, doc.training.seed);
      const losses = [];
      for (let s = 0; s < 10; s++) losses.push(await program.step({ x: data.data.x!, y: data.data.y! }));
      return { losses, w: await program.getWeights() };
    };
    const [a, b] = [await run(), await run()];
    expect(a.losses).toEqual(b.losses);
    expect(Buffer.from(a.w['w1/value']!.buffer).equals(Buffer.from(b.w['w1/value']!.buffer))).toBe(true);
    expect(a.losses[9]).toBeLessThan(a.losses[0]!);
  });
});
