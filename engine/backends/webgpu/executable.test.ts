/**
 * The executable's contract beyond single ops: updates read old values, variables round-trip,
 * memory is reused, huge dispatches are split over a 2-D grid, the scalar log keeps every run
 * between drains, NaN/Inf are counted on the device, and failures are typed BackendErrors that
 * name the document node (device_lost for calls pending or made after the device is gone).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Graph } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import { BackendError, type Backend } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { WebGpuBackend } from './backend';
import type { WebGpuExecutable } from './executable';
import { dawn, gpuBackend } from './testing';

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
      const exec = await backend.prepare(g, {
        outputs: [a, sum],
        updates: [
          { name: 'a', value: c },
          { name: 'c', value: sum },
        ],
      });
      exec.run(new Map());
      exec.run(new Map());
      return [await exec.read(a), await exec.read(sum), await backend.readVariable('a'), await backend.readVariable('c')].map((d) => Array.from(d));
    };
    const expected = await run(new CpuBackend());
    expect(expected).toEqual([
      [10, 20],
      [21, 42],
      [11, 22],
      [21, 42],
    ]); // the reference itself, spelled out
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

describe('profile', () => {
  it('times each dispatch under a label naming its kernel kind and shape, computing what run() computes', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [8, 4], 'f32');
    const w = g.input('w', [4, 3], 'f32');
    const y = b.sum(b.softmax(b.matmul(x, w), -1), [0]);
    const exec = (await gpu.prepare(g, { outputs: [y], updates: [] })) as WebGpuExecutable;
    const feeds = new Map([
      ['x', Float32Array.from({ length: 32 }, (_v, i) => (i % 7) - 3)],
      ['w', Float32Array.from({ length: 12 }, (_v, i) => (i % 5) / 4)],
    ]);
    const times = await exec.profile(feeds);
    expect(times).toHaveLength(exec.dispatchesPerRun);
    expect(times.map((t) => t.label)).toEqual(['gemm matmul [8, 4]·[4, 3]', 'reduction softmax [8, 3]', 'reduction sum [3]']);
    for (const t of times) expect(t.ms).toBeGreaterThanOrEqual(0);
    exec.run(feeds);
    const cpu = new CpuBackend();
    const ref = await cpu.prepare(g, { outputs: [y], updates: [] });
    ref.run(feeds);
    expect(Array.from(await exec.read(y))).toEqual(Array.from(await ref.read(y)).map((v) => expect.closeTo(v, 5)));
    exec.dispose();
    cpu.dispose();
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

  it('turns a lost device into device_lost for pending and later calls', async () => {
    const backend = await gpuBackend();
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [2], 'f32');
    const s = b.sum(x);
    const exec = await backend.prepare(g, { outputs: [x], updates: [], scalars: [s] });
    exec.run(new Map([['x', new Float32Array(2)]]));
    // Started before the loss, finished after it: each must reject, none may hang.
    const pending = [exec.read(x), exec.drainScalars(), exec.settled(), exec.countNonFinite([x])].map((p) => backendError(() => p));
    backend.gpu.destroy();
    for (const e of await Promise.all(pending)) expect(e.code).toBe('device_lost');
    expect((await backendError(() => exec.run(new Map([['x', new Float32Array(2)]])))).code).toBe('device_lost');
    expect((await backendError(() => exec.read(x))).code).toBe('device_lost');
    expect((await backendError(() => exec.drainScalars())).code).toBe('device_lost');
    expect((await backendError(() => exec.settled())).code).toBe('device_lost');
    expect((await backendError(() => exec.countNonFinite([x]))).code).toBe('device_lost');
    expect((await backendError(() => backend.readVariable('none'))).code).toBe('device_lost');
    expect((await backendError(() => backend.prepare(g, { outputs: [x], updates: [] }))).code).toBe('device_lost');
    backend.dispose();
  });

  it('says unavailable when there is no WebGPU or no adapter', async () => {
    expect((await backendError(() => WebGpuBackend.create(undefined))).code).toBe('unavailable');
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    const e = await backendError(() => WebGpuBackend.create(noAdapter));
    expect([e.code, e.message]).toEqual(['unavailable', expect.stringMatching(/no adapter/)]);
  });

  it('asks the device for the adapter limits that matter, not the defaults', async () => {
    const adapter = (await dawn().requestAdapter())!;
    for (const name of [
      'maxStorageBufferBindingSize',
      'maxBufferSize',
      'maxStorageBuffersPerShaderStage',
      'maxComputeWorkgroupStorageSize',
      'maxComputeInvocationsPerWorkgroup',
    ] as const) {
      expect(gpu.gpu.limits[name], name).toBe(adapter.limits[name]);
    }
  });
});

describe('the scalar log', () => {
  /** acc += x, count += 1 each run; logs acc (f32), count (i32) and acc > 3 (bool). */
  async function counter(backend: Backend) {
    backend.createVariable('acc', { shape: [1], dtype: 'f32' }, new Float32Array([0.5]));
    backend.createVariable('count', { shape: [], dtype: 'i32' }, new Int32Array([0]));
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [1], 'f32');
    const acc = b.add(g.variable('acc', [1]), x);
    const count = b.add(g.variable('count', [], 'i32'), b.scalar(1, 'i32'));
    const big = b.greater(acc, b.scalar(3));
    const exec = await backend.prepare(g, {
      outputs: [],
      updates: [
        { name: 'acc', value: acc },
        { name: 'count', value: count },
      ],
      scalars: [acc, count, big],
    });
    let k = 0;
    return {
      exec,
      run: (n: number) => {
        for (let r = 0; r < n; r++) exec.run(new Map([['x', new Float32Array([0.25 * (k++ % 7) - 0.5])]]));
      },
    };
  }

  it('returns every run since the last drain, oldest first, as the CPU does — thousands of runs included', async () => {
    const logs = await Promise.all(
      [new CpuBackend(), await gpuBackend()].map(async (backend) => {
        const { exec, run } = await counter(backend);
        const drains: number[][][] = [];
        for (const n of [3, 0, 1, 2500, 7]) {
          run(n);
          drains.push((await exec.drainScalars()).map((r) => Array.from(r)));
        }
        exec.dispose();
        backend.dispose();
        return drains;
      }),
    );
    const [cpu, gpuLog] = logs as [number[][][], number[][][]];
    expect(cpu.map((d) => d.length)).toEqual([3, 0, 1, 2500, 7]); // the reference itself
    expect(cpu[0]).toEqual([
      [0, 1, 0],
      [-0.25, 2, 0],
      [-0.25, 3, 0],
    ]);
    expect(cpu[3]![2499]).toEqual([expect.any(Number), 2504, 1]);
    expect(gpuLog).toEqual(cpu);
  });

  it('keeps runs made while a drain waits for the next drain, none lost or repeated', async () => {
    const backend = await gpuBackend();
    const { exec, run } = await counter(backend);
    run(5);
    const first = exec.drainScalars();
    run(4);
    const second = exec.drainScalars();
    run(2);
    const counts = [...(await first), ...(await second), ...(await exec.drainScalars())].map((r) => r[1]);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    exec.dispose();
    backend.dispose();
  });

  it('chains rings while nobody drains, and gives them back at the next drain', async () => {
    const backend = await gpuBackend();
    const { exec, run } = await counter(backend);
    run(1);
    await exec.drainScalars();
    const steady = { buffers: backend.liveBuffers, bytes: backend.liveBytes };
    run(2100); // three rings' worth
    expect(backend.liveBuffers).toBe(steady.buffers + 2);
    const runs = await exec.drainScalars();
    expect(runs.map((r) => r[1])).toEqual(Array.from({ length: 2100 }, (_v, i) => i + 2));
    expect({ buffers: backend.liveBuffers, bytes: backend.liveBytes }).toEqual(steady);
    exec.dispose();
    backend.dispose();
  });

  it('refuses a logged value of more than one element, naming its node', async () => {
    const g = new Graph();
    g.origin = 'vec';
    const x = g.input('x', [3], 'f32');
    const e = await backendError(() => gpu.prepare(g, { outputs: [], updates: [], scalars: [x] }));
    expect([e.code, e.node]).toEqual(['validation', 'vec']);
  });
});

describe('NaN/Inf counts on the device', () => {
  it('counts what the CPU counts, in every kept value (f32 large and small, i32, a variable)', async () => {
    const n = 200_003; // more elements than the counter's threads: each thread strides
    const xs = Float32Array.from({ length: n }, (_v, i) => (i % 1000 === 7 ? NaN : i % 4111 === 5 ? -Infinity : i % 9973 === 1 ? Infinity : i - 50_000));
    const run = async (backend: Backend) => {
      backend.createVariable('bad', { shape: [3], dtype: 'f32' }, new Float32Array([NaN, 1, Infinity]));
      const g = new Graph();
      const b = new OpBuilder(g);
      const x = g.input('x', [n], 'f32');
      const logs = b.log(x); // NaN below zero, -Inf at zero
      const doubled = b.mul(x, b.scalar(1e38)); // overflows to ±Inf
      const ints = b.cast(x, 'i32');
      const small = b.sqrt(b.slice(x, [49_998], [5]));
      const bad = g.variable('bad', [3]);
      const exec = await backend.prepare(g, { outputs: [x, logs, doubled, ints, small, bad], updates: [] });
      exec.run(new Map([['x', xs]]));
      const counts = await exec.countNonFinite([x, logs, doubled, ints, small, bad]);
      const again = await exec.countNonFinite([small]);
      exec.dispose();
      return [...counts, ...again];
    };
    const expected = await run(new CpuBackend());
    expect(expected[0]).toBe(xs.filter((v) => !Number.isFinite(v)).length); // the reference itself
    expect(expected[0]).toBeGreaterThan(250);
    expect(await run(gpu)).toEqual(expected);
  });

  it('refuses a value the last run did not keep', async () => {
    const g = new Graph();
    const b = new OpBuilder(g);
    const x = g.input('x', [2], 'f32');
    const y = b.exp(x);
    const exec = await gpu.prepare(g, { outputs: [y], updates: [] });
    exec.run(new Map([['x', new Float32Array(2)]]));
    expect((await backendError(() => exec.countNonFinite([x]))).code).toBe('validation');
    expect(await exec.countNonFinite([y])).toEqual([0]);
    exec.dispose();
  });
});
