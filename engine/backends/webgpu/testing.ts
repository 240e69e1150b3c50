/**
 * Test support: a WebGpuBackend in Node through the `webgpu` package (Dawn), and a harness that runs
 * one graph on the CPU reference and on the GPU. vitest.config.ts points Vulkan at Chromium's
 * SwiftShader, so CI has an adapter: finding none is a failure, never a skip.
 */
import { create, globals } from 'webgpu';
import { expect } from 'vitest';
import { gradients } from '../../compile/autodiff';
import { Graph, type ValueId } from '../../compile/graph';
import { OpBuilder } from '../../ops/builder';
import { Rng } from '../../ops/random';
import { sizeOf } from '../../ops/shape';
import type { DType, Shape } from '../../ops/types';
import { optimizerUpdates, type ParamWithGrad } from '../../nn/optimizers';
import type { Backend, Data, RunSpec } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { WebGpuBackend } from './backend';
import type { WebGpuOptions } from './backend';

let gpu: GPU | undefined;

/** The process's one Dawn instance (navigator.gpu's stand-in in Node). */
export function dawn(): GPU {
  Object.assign(globalThis, globals);
  gpu ??= create([]);
  return gpu;
}

/** A fresh backend (its own device) on the process's one Dawn instance. */
export async function gpuBackend(options: WebGpuOptions = {}): Promise<WebGpuBackend> {
  return WebGpuBackend.create(dawn(), options);
}

/** One placeholder of a test graph; values default to uniform [-1, 1) (f32) or integers in [-4, 4]. */
export interface TestInput {
  readonly shape: Shape;
  readonly dtype?: DType;
  readonly values?: ArrayLike<number>;
}

/** Builds the value under test from the placeholders. */
export type Build = (b: OpBuilder<ValueId>, xs: ValueId[]) => ValueId;

/** Deterministic test values for one input. */
export function valuesFor(inp: TestInput, seed: number): Float32Array | Int32Array | Uint8Array {
  const n = sizeOf(inp.shape);
  const rng = new Rng(seed);
  const dtype = inp.dtype ?? 'f32';
  if (dtype === 'f32') return Float32Array.from(inp.values ?? Array.from({ length: n }, () => 2 * rng.next() - 1));
  if (dtype === 'i32') return Int32Array.from(inp.values ?? Array.from({ length: n }, () => rng.int(9) - 4));
  return Uint8Array.from(inp.values ?? Array.from({ length: n }, () => rng.int(2)));
}

/** What one graph computed on one backend: the value, then d(Σ value·r)/d(input) per f32 input. */
export interface Results {
  readonly names: string[];
  readonly data: Data[];
}

/**
 * Build the graph once and run it on `backend`: the value under test and, when `grads` and the
 * value is f32, the gradients of Σ value·r (fixed random r) with respect to every f32 input.
 */
export async function runGraph(backend: Backend, inputs: readonly TestInput[], build: Build, grads: boolean): Promise<Results> {
  const graph = new Graph();
  const b = new OpBuilder(graph);
  const xs = inputs.map((inp, i) => graph.input(`x${i}`, inp.shape, inp.dtype ?? 'f32'));
  const out = build(b, xs);
  const names = ['value'];
  const outputs = [out];
  if (grads && graph.typeOf(out).dtype === 'f32') {
    const shape = graph.typeOf(out).shape;
    const r = valuesFor({ shape }, 99);
    const loss = b.sum(b.mul(out, b.constant(shape, Array.from(r))));
    const wrt = xs.filter((x) => graph.typeOf(x).dtype === 'f32');
    const g = gradients(graph, loss, wrt);
    wrt.forEach((x) => {
      const gx = g.get(x);
      if (gx === undefined) return;
      names.push(`grad x${xs.indexOf(x)}`);
      outputs.push(gx);
    });
  }
  const exec = await backend.prepare(graph, { outputs, updates: [] });
  exec.run(new Map(inputs.map((inp, i) => [`x${i}`, valuesFor(inp, i + 1)])));
  const data = await Promise.all(outputs.map((o) => exec.read(o)));
  exec.dispose();
  return { names, data };
}

/** |a − e| <= atol + rtol·|e| elementwise; NaN and infinities must match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!Number.isFinite(e)) expect(a, `${what}[${i}]`).toBe(e);
    else if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) expect.fail(`${what}[${i}]: GPU ${a}, CPU ${e}`);
  }
}

/** Run on the CPU reference (f32) and on `gpu`, and compare every result. */
export async function compareWithCpu(
  gpuBackend_: WebGpuBackend,
  inputs: readonly TestInput[],
  build: Build,
  tol: { rtol?: number; atol?: number } = {},
  grads = true,
): Promise<Results> {
  const cpu = await runGraph(new CpuBackend(), inputs, build, grads);
  const gpuResult = await runGraph(gpuBackend_, inputs, build, grads);
  expect(gpuResult.names).toEqual(cpu.names);
  cpu.data.forEach((e, k) => expectClose(gpuResult.data[k]!, e, cpu.names[k]!, tol.rtol, tol.atol));
  return cpu;
}

/** A training step prepared by hand (no Program): its graph, what a run keeps, and its feeds per step. */
export interface TrainingStep {
  readonly graph: Graph;
  readonly spec: RunSpec;
  /** Loss, then accuracy (the logged scalars). */
  readonly loss: ValueId;
  /** Parameter names, in the order of `grads`. */
  readonly params: readonly string[];
  readonly grads: readonly ValueId[];
  feeds(step: number): Map<string, Data>;
}

/**
 * The MLP training step of the benchmarks at a small size: Dense ReLU → Dense, softmax
 * cross-entropy on sparse labels, Adam (m, v, parameter: one fused kernel each when fusion is on),
 * logging the loss and the accuracy. Creates its variables on `backend` from a fixed seed.
 */
export function mlpTrainingStep(
  backend: Backend,
  dims: { n: number; dIn: number; h: number; dOut: number } = { n: 16, dIn: 20, h: 12, dOut: 5 },
): TrainingStep {
  const { n, dIn, h, dOut } = dims;
  const graph = new Graph();
  const b = new OpBuilder(graph);
  const rng = new Rng(7);
  const param = (name: string, shape: number[], scale: number) => {
    backend.createVariable(
      name,
      { shape, dtype: 'f32' },
      Float32Array.from({ length: sizeOf(shape) }, () => (2 * rng.next() - 1) * scale),
    );
    return { name, value: graph.variable(name, shape) };
  };
  const ps = [param('w1', [dIn, h], 0.5), param('b1', [h], 0.1), param('w2', [h, dOut], 0.5), param('b2', [dOut], 0.1)];
  const [w1, b1, w2, b2] = ps.map((p) => p.value) as [ValueId, ValueId, ValueId, ValueId];
  const x = graph.input('x', [n, dIn], 'f32');
  const label = graph.input('label', [n], 'i32');
  const hidden = b.relu(b.add(b.matmul(x, w1), b1));
  const logits = b.add(b.matmul(hidden, w2), b2);
  const loss = b.neg(b.mean(b.sum(b.mul(b.oneHot(label, dOut), b.logSoftmax(logits)), [1])));
  const accuracy = b.mean(b.cast(b.equal(b.argmax(logits), label), 'f32'));
  const g = gradients(
    graph,
    loss,
    ps.map((p) => p.value),
  );
  const params: ParamWithGrad<ValueId>[] = ps.map((p) => ({ ...p, grad: g.get(p.value)! }));
  const lr = graph.input('lr', [], 'f32');
  const t = graph.input('t', [], 'f32');
  const updates = optimizerUpdates(
    { type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-7, weightDecay: 0 },
    {
      b,
      lr,
      t,
      slot(p, slot, fill) {
        const name = `${p.name}:${slot}`;
        const type = graph.typeOf(p.value);
        backend.createVariable(name, type, new Float32Array(sizeOf(type.shape)).fill(fill));
        return { name, value: graph.variable(name, type.shape) };
      },
    },
    params,
  );
  const grads = params.map((p) => p.grad);
  const xs = valuesFor({ shape: [n, dIn] }, 3);
  const labels = Int32Array.from({ length: n }, (_v, i) => (i * 7) % dOut);
  return {
    graph,
    loss,
    grads,
    params: ps.map((p) => p.name),
    spec: { outputs: [loss, hidden, ...grads], updates, scalars: [loss, accuracy] },
    feeds: (step) =>
      new Map<string, Data>([
        ['x', xs],
        ['label', labels],
        ['lr', new Float32Array([1e-2])],
        ['t', new Float32Array([step + 1])],
      ]),
  };
}
