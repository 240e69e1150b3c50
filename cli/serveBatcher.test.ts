/**
 * The serve batcher with a scripted runner: calls that queue while a run is on the device go as one
 * run (up to the batch limit, in arrival order), each caller gets exactly its own rows back, a call
 * over the limit runs in parts, and a failed run fails only the calls in it.
 */
import { describe, expect, it } from 'vitest';
import { Batcher } from './serve/batcher';
import type { ModelRunner, NamedTensors } from './serve/runner';

/** Output row i = [2·a + b, a − b] of input row [a, b]; each run waits for `release()` when gated. */
function scriptedRunner() {
  const runs: number[] = [];
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  let failNext = false;
  const runner: ModelRunner = {
    inputs: [{ name: 'x', shape: [2], dtype: 'f32' }],
    outputs: [{ name: 'y', shape: [2], dtype: 'f32' }],
    device: 'test',
    async run(inputs: NamedTensors, n: number) {
      runs.push(n);
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('device lost');
      }
      const x = inputs.x!;
      expect(x.length).toBe(2 * n);
      const y = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) [y[2 * i], y[2 * i + 1]] = [2 * x[2 * i]! + x[2 * i + 1]!, x[2 * i]! - x[2 * i + 1]!];
      return { y };
    },
    dispose() {},
  };
  return {
    runner,
    runs,
    hold: () => (gate = new Promise((resolve) => (open = resolve))),
    release: () => ((gate = undefined), open?.()),
    failNext: () => (failNext = true),
  };
}

/** `n` rows starting at value `from`. */
const rowsFrom = (from: number, n: number) => ({ x: Float32Array.from({ length: 2 * n }, (_v, i) => from + i) });
const expected = (from: number, n: number) =>
  Array.from({ length: n }, (_v, i) => {
    const [a, b] = [from + 2 * i, from + 2 * i + 1];
    return [2 * a + b, a - b];
  }).flat();

describe('the serve batcher', () => {
  it('merges the calls that queue behind a run, up to the batch limit, and hands each its own rows', async () => {
    const s = scriptedRunner();
    const batcher = new Batcher(s.runner, 8);
    s.hold();
    const a = batcher.predict(rowsFrom(0, 1), 1);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(s.runs).toEqual([1]); // A is on the device
    const b = batcher.predict(rowsFrom(100, 2), 2);
    const c = batcher.predict(rowsFrom(200, 3), 3);
    const d = batcher.predict(rowsFrom(300, 4), 4); // B + C + D = 9 > 8
    expect(batcher.pending).toBe(4);
    s.release();
    const got = await Promise.all([a, b, c, d]);
    expect(s.runs).toEqual([1, 5, 4]);
    expect(got.map((g) => Array.from(g.y!))).toEqual([expected(0, 1), expected(100, 2), expected(200, 3), expected(300, 4)]);
    expect([batcher.runs, batcher.samples]).toEqual([3, 10]);
    await batcher.idle();
    expect(batcher.pending).toBe(0);
  });

  it('runs a call over the limit in parts and puts the rows back in order', async () => {
    const s = scriptedRunner();
    const batcher = new Batcher(s.runner, 8);
    const got = await batcher.predict(rowsFrom(0, 19), 19);
    expect(s.runs).toEqual([8, 8, 3]);
    expect(Array.from(got.y!)).toEqual(expected(0, 19));
  });

  it('fails only the calls in a failed run', async () => {
    const s = scriptedRunner();
    const batcher = new Batcher(s.runner, 4);
    s.failNext();
    await expect(batcher.predict(rowsFrom(0, 2), 2)).rejects.toThrow('device lost');
    expect(Array.from((await batcher.predict(rowsFrom(10, 2), 2)).y!)).toEqual(expected(10, 2));
  });
});
