/**
 * peakBytes, the backend's high-water mark of live GPU bytes (what bench:scale reports as a step's
 * peak device memory): checked against byte counts worked out by hand from the tensors' shapes.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import { gpuBackend } from './testing';

describe('peakBytes', () => {
  it('keeps the most bytes ever live, through deletes, until resetPeak()', async () => {
    const backend = await gpuBackend();
    try {
      expect(backend.peakBytes).toBe(0);
      backend.createVariable('a', { shape: [100], dtype: 'f32' }, new Float32Array(100)); // 400 bytes
      backend.createVariable('b', { shape: [3, 5], dtype: 'i32' }, new Int32Array(15)); // 60 bytes
      expect(backend.liveBytes).toBe(460);
      expect(backend.peakBytes).toBe(460);
      backend.deleteVariable('a');
      expect(backend.liveBytes).toBe(60);
      expect(backend.peakBytes).toBe(460); // a high-water mark does not fall
      backend.createVariable('c', { shape: [10], dtype: 'f32' }, new Float32Array(10));
      expect(backend.peakBytes).toBe(460); // 100 live bytes now: below the mark
      backend.resetPeak();
      expect(backend.peakBytes).toBe(100);
      backend.createVariable('d', { shape: [50], dtype: 'f32' }, new Float32Array(50));
      expect(backend.peakBytes).toBe(300);
    } finally {
      backend.dispose();
    }
  });

  it("counts a prepared graph's planned buffers and a read's staging, and keeps them after dispose", async () => {
    const backend = await gpuBackend();
    try {
      // C[8,16] = A[8,32]·B[32,16]: 1024 + 2048 bytes of variables, 512 of output.
      backend.createVariable('A', { shape: [8, 32], dtype: 'f32' }, new Float32Array(256).fill(1));
      backend.createVariable('B', { shape: [32, 16], dtype: 'f32' }, new Float32Array(512).fill(0.5));
      const graph = new Graph();
      const ops = new OpBuilder(graph);
      const c = ops.matmul(graph.variable('A', [8, 32]), graph.variable('B', [32, 16]));
      backend.resetPeak();
      expect(backend.peakBytes).toBe(3072);
      const exec = await backend.prepare(graph, { outputs: [c], updates: [] });
      const planned = backend.liveBytes - 3072;
      expect(planned).toBeGreaterThanOrEqual(512); // at least C's own buffer
      expect(backend.peakBytes).toBeGreaterThanOrEqual(backend.liveBytes);
      exec.run(new Map());
      const beforeRead = backend.liveBytes;
      const out = await exec.read(c);
      expect(Array.from(out).slice(0, 3)).toEqual([16, 16, 16]); // 32 · 1 · 0.5
      const afterRead = backend.liveBytes;
      expect(afterRead - beforeRead).toBe(512); // one staging copy of C, kept for the next read
      expect(backend.peakBytes).toBe(afterRead); // nothing freed since prepare: the peak is what is live
      const peak = backend.peakBytes;
      exec.dispose();
      expect(backend.liveBytes).toBeLessThan(afterRead);
      expect(backend.peakBytes).toBe(peak);
    } finally {
      backend.dispose();
    }
  });
});
