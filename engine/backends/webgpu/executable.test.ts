/**
 * The executable's contract beyond single ops: updates read old values, variables round-trip,
 * memory is reused, huge dispatches are split over a 2-D grid, and failures are typed
 * BackendErrors that name the document node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import { BackendError, type Backend } from '../backend';
import { CpuBackend } from '../cpu/backend';
import type { WebGpuBackend } from './backend';
import { gpuBackend } from './testing';

let gpu: WebGpuBackend;
beforeAll(async () => {
  gpu = await gpuBackend();
});
afterAll(() => gpu?.dispose());

/** Catch the BackendError that `f` throws or rejects with. */
async function backendError(f: () => unknown): Promise<BackendError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return e as BackendError;
  }
  return expect.fail('expected a BackendError');
}

describe('variables and updates', () => {
  it('round-trips f32, i32 and bool variables', async () => {
    gpu.createVariable('f', { shape: [3], dtype: 'f32' }, new Float64Array([1.5, -2, 3]));
    gpu.createVariable('i', { shape: [2], dtype: 'i32' }, new Int32Array([-7, 9]));
    gpu.createVariable('b', { shape: [3], dtype: 'bool' }, new Uint8Array([1, 0, 1]));
    expect(Array.from(await gpu.readVariable('f'))).toEqual([1.5, -2, 3]);
    expect(await gpu.readVariable('i')).toEqual(new Int32Array([-7, 9]));
    expect(await gpu.readVariable('b')).toEqual(new Uint8Array([1, 0, 1]));
    gpu.writeVariable('f', new Float32Array([4, 5, 6]));
    expect(Array.from(await gpu.readVariable('f'))).toEqual([4, 5, 6]);
    expect(() => gpu.writeVariable('f', new Float32Array(2))).toThrow(BackendError);
  });

  it('applies updates after computing everything: a swap and an accumulator see old values, as on the CPU', async () => {
    const run = async (backend: Backend) => {
      backend.createVariable('a', { shape: [2], dtype: 'f32' }, new Float32Array([1, 2]));
      backend.createVariable('c', { shape: [2], dtype: 'f32' }, new Float32Array([10, 20]));
      const g = new Graph();
      const b = new OpBuilder(g);
      const a = g.variable('a', [2]);
      const c = g.variable('c', [2]);
      const sum = b.add(a, c);
      const exec = await backend.prepare(g, { outputs: [a, sum], updates: [{ name: 'a', value: c }, { name: 'c', value: sum }] });
      exec.run(new Map());
      exec.run(new Map());
      return [await exec.read(a), await exec.read(sum), await backend.readVariable('a'), await backend.readVariable('c')].map((d) => Array.from(d));
    };
    const expected = await run(new CpuBackend());
    expect(expected).toEqual([[10, 20], [21, 42], [11, 22], [21, 42]]); // the reference itself, spelled out
    expect(await run(gpu)).toEqual(expected);
  });
});

describe('memory and dispatch', () => {
  it('reuses buffers along a chain: 40 ops need a handful of buffers', async () => {
    const backend = await gpuBackend();
    try {
      const g = new Graph();
      const b = new OpBuilder(g);
      let x = g.input('x', [1000], 'f32');
      for (let k = 0; k < 40; k++) x = k % 2 ? b.neg(x) : b.sub(b.scalar(1), x); // each pair: -(1 - x) = x - 1
      const exec = await backend.prepare(g, { outputs: [x], updates: [] });
      // input, output, the scalar 1s (full, 20 distinct nodes, all 4 bytes) and two alternating intermediates.
      expect(backend.liveBuffers).toBeLessThanOrEqual(6);
      exec.run(new Map([['x', Float32Array.from({ length: 1000 }, (_v, i) => i - 500)]]));
      const out = await exec.read(x);
      expect(out[0]).toBe(-520);
      expect(out[999]).toBe(479);
    } finally {
      backend.dispose();
    }
  });

  it('runs more than 65535 workgroups (a 2-D grid, linearised in the shader)', async () => {
    const n = 65535 * 64 + 1000;
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [n], 'f32');
    const y = b.add(x, b.full([n], 0.5));
    const exec = await gpu.prepare(g, { outputs: [y], updates: [] });
    exec.run(new Map([['x', Float32Array.from({ length: n }, (_v, i) => i % 1000)]]));
    const out = await exec.read(y);
    for (const i of [0, 1, 65535 * 64 - 1, 65535 * 64, n - 1]) expect(out[i]).toBe((i % 1000) + 0.5);
    exec.dispose();
  });
});

describe('errors are BackendErrors naming the node', () => {
  it('refuses at prepare a tensor larger than the adapter can bind (limits)', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    g.origin = 'huge';
    const big = b.full([1 << 30], 1);
    const e = await backendError(() => gpu.prepare(g, { outputs: [big], updates: [] }));
    expect(e.code).toBe('limits');
    expect(e.node).toBe('huge');
    expect(e.message).toMatch(/huge.*4294967296 bytes/);
  });

  it('rejects missing or mis-sized feeds', async () => {
    const g = new Graph();
    g.origin = 'in';
    const x = g.input('x', [2, 3], 'f32');
    const exec = await gpu.prepare(g, { outputs: [x], updates: [] });
    expect((await backendError(() => exec.run(new Map()))).code).toBe('feed');
    const e = await backendError(() => exec.run(new Map([['x', new Float32Array(5)]])));
    expect([e.code, e.node]).toEqual(['feed', 'in']);
    exec.run(new Map([['x', new Float32Array(6).fill(2)]]));
    expect(Array.from(await exec.read(x))).toEqual([2, 2, 2, 2, 2, 2]);
    expect((await backendError(() => exec.read(12345))).code).toBe('validation');
  });

  it('reports a missing variable at prepare', async () => {
    const g = new Graph();
    const v = g.variable('nope', [2]);
    expect((await backendError(() => gpu.prepare(g, { outputs: [v], updates: [] }))).code).toBe('variable');
  });

  it('turns a lost device into device_lost for every later call', async () => {
    const backend = await gpuBackend();
    const g = new Graph();
    const x = g.input('x', [2], 'f32');
    const exec = await backend.prepare(g, { outputs: [x], updates: [] });
    backend.gpu.destroy();
    await backend.gpu.lost;
    expect((await backendError(() => exec.run(new Map([['x', new Float32Array(2)]])))).code).toBe('device_lost');
    expect((await backendError(() => exec.read(x))).code).toBe('device_lost');
    expect((await backendError(() => backend.prepare(g, { outputs: [x], updates: [] }))).code).toBe('device_lost');
    backend.dispose();
  });
});
