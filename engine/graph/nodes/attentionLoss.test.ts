/** SequenceCrossEntropy and SequenceAccuracy: gradients against finite differences, values against a float64 sum by hand. */
import { describe, expect, it } from 'vitest';
import type { ValueId } from '../../compile/graph';
import type { OpBuilder } from '../../ops/builder';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { checkDatasetLabels } from '../../data/labels';
import type { Dataset } from '../../data/dataset';
import { makeDoc } from '../../testing/docs';
import { gradcheck } from '../../testing/gradcheck';
import { getNodeSpec } from './index';

const [B, T, V] = [2, 3, 4];
/** Labels with two ignored positions (−100). */
const LABELS = [1, -100, 3, 0, 2, -100];
const LOGITS = Array.from({ length: B * T * V }, (_v, i) => Math.sin(i * 0.7) * 2);

/** PyTorch's CrossEntropyLoss(ignore_index=−100), mean reduction, by hand in float64. */
function byHand(logits: readonly number[], labels: readonly number[], ignore = -100): number {
  let total = 0;
  let counted = 0;
  labels.forEach((y, n) => {
    if (y === ignore) return;
    const row = logits.slice(n * V, n * V + V);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    total += lse - row[y]!;
    counted++;
  });
  return total / counted;
}

function lossBuild(type: string, params: object, port: string) {
  const spec = getNodeSpec(type)!;
  return (b: OpBuilder<ValueId>, [x]: ValueId[]) => {
    const target = b.constant([B, T], LABELS, 'i32');
    const ctx = { b, training: true } as never;
    return spec.lower(ctx, { pred: x!, target }, spec.params.parse(params))[port]!;
  };
}

function seqDoc(lossParams: Record<string, unknown> = {}) {
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [T, V] }],
      ['pass', 'Dense', { units: V, useBias: false }],
      ['y', 'Input', { field: 'y', shape: [T], dtype: 'i32' }],
      ['loss', 'SequenceCrossEntropy', lossParams],
      ['acc', 'SequenceAccuracy', lossParams],
      ['exact', 'SequenceAccuracy', { ...lossParams, mode: 'sequence' }],
    ],
    ['x.y -> pass.x', 'pass.y -> loss.pred', 'y.y -> loss.target', 'pass.y -> acc.pred', 'y.y -> acc.target', 'pass.y -> exact.pred', 'y.y -> exact.target'],
    { batchSize: B, optimizer: { type: 'sgd' }, lr: 0.1, seed: 1 },
  );
}

describe('SequenceCrossEntropy', () => {
  it("equals PyTorch's CrossEntropyLoss(ignore_index=-100) mean over the counted positions", async () => {
    const p = await Program.create(seqDoc(), new CpuBackend());
    p.setWeights({ 'pass/kernel': Float32Array.from({ length: V * V }, (_v, i) => (i % (V + 1) === 0 ? 1 : 0)) });
    const loss = await p.step({ x: Float32Array.from(LOGITS), y: Int32Array.from(LABELS) });
    expect(loss).toBeCloseTo(byHand(LOGITS, LABELS), 5);
    // Unlike a mean over all 6 positions:
    expect(Math.abs(loss - (byHand(LOGITS, LABELS) * 4) / 6)).toBeGreaterThan(0.1);
  });

  it('its gradient matches finite differences, and ignored positions get none', async () => {
    const { maxError, analytic } = await gradcheck([{ shape: [B, T, V], values: LOGITS }], lossBuild('SequenceCrossEntropy', {}, 'loss'));
    expect(maxError).toBeLessThan(1e-6);
    LABELS.forEach((y, n) => {
      const row = Array.from(analytic[0]!.subarray(n * V, n * V + V));
      if (y === -100) expect(row.every((v) => v === 0)).toBe(true);
      else expect(row.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    });
  });

  it('a custom ignoreIndex counts −100 as an error and skips its own value', async () => {
    const doc = seqDoc({ ignoreIndex: 3 });
    const ds = { size: B, data: { x: Float32Array.from(LOGITS), y: Int32Array.from(LABELS) } } as unknown as Dataset;
    expect(checkDatasetLabels(doc, ds)?.message).toMatch(/label -100 at sample 0 is outside the 4 classes of node "loss"/);
    const fine = { size: B, data: { x: Float32Array.from(LOGITS), y: Int32Array.from([1, 3, 3, 0, 2, 3]) } } as unknown as Dataset;
    expect(checkDatasetLabels(doc, fine)).toBeUndefined();
  });

  it('labels out of range (other than the ignore index) are reported naming the node and sample', () => {
    const ds = { size: B, data: { x: Float32Array.from(LOGITS), y: Int32Array.from([1, -100, 3, 0, 7, -100]) } } as unknown as Dataset;
    expect(checkDatasetLabels(seqDoc(), ds)?.message).toMatch(/label 7 at sample 1 is outside the 4 classes of node "loss" \(0\.\.3\)/);
    const ok = { size: B, data: { x: Float32Array.from(LOGITS), y: Int32Array.from(LABELS) } } as unknown as Dataset;
    expect(checkDatasetLabels(seqDoc(), ok)).toBeUndefined();
  });
});

describe('SequenceAccuracy', () => {
  it('token: hits over counted positions; sequence: sequences right at every counted position', async () => {
    const p = await Program.create(seqDoc(), new CpuBackend());
    p.setWeights({ 'pass/kernel': Float32Array.from({ length: V * V }, (_v, i) => (i % (V + 1) === 0 ? 1 : 0)) });
    const argmax = LABELS.map((_y, n) => {
      const row = LOGITS.slice(n * V, n * V + V);
      return row.indexOf(Math.max(...row));
    });
    const counted = LABELS.map((y) => y !== -100);
    const hits = LABELS.map((y, n) => counted[n] && argmax[n] === y);
    // Make the first sequence exactly right and the second wrong at one counted position.
    const labels = LABELS.map((y, n) => (n < T && counted[n] ? argmax[n]! : y));
    const hits2 = labels.map((y, n) => counted[n] && argmax[n] === y);
    const out = await p.forward({ x: Float32Array.from(LOGITS), y: Int32Array.from(labels) });
    const tokens = hits2.filter(Boolean).length / counted.filter(Boolean).length;
    expect(out.get('acc')!.value!.data[0]).toBeCloseTo(tokens, 6);
    const exact = [0, 1].map((s) => hits2.slice(s * T, s * T + T).every((h, i) => h || !counted[s * T + i])).filter(Boolean).length / B;
    expect(out.get('exact')!.value!.data[0]).toBeCloseTo(exact, 6);
    expect(exact).toBe(hits.slice(T).every((h, i) => h || !counted[T + i]) ? 1 : 0.5);
  });
});
