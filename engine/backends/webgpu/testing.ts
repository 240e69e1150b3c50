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
import type { Backend, Data } from '../backend';
import { CpuBackend } from '../cpu/backend';
import { WebGpuBackend } from './backend';
import type { KernelOptions } from './kernel';

let gpu: GPU | undefined;

/** A fresh backend (its own device) on the process's one Dawn instance. */
export async function gpuBackend(options: KernelOptions = {}): Promise<WebGpuBackend> {
  Object.assign(globalThis, globals);
  gpu ??= create([]);
  return WebGpuBackend.create(gpu, options);
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
  gpuBackend_: WebGpuBackend, inputs: readonly TestInput[], build: Build, tol: { rtol?: number; atol?: number } = {}, grads = true,
): Promise<Results> {
  const cpu = await runGraph(new CpuBackend(), inputs, build, grads);
  const gpuResult = await runGraph(gpuBackend_, inputs, build, grads);
  expect(gpuResult.names).toEqual(cpu.names);
  cpu.data.forEach((e, k) => expectClose(gpuResult.data[k]!, e, cpu.names[k]!, tol.rtol, tol.atol));
  return cpu;
}
