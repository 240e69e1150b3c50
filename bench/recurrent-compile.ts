/**
 * What unrolling costs: the lstm-lm template (Embedding 64 → LSTM 128 → Dense 128, batch 32) at a
 * context of T steps (default 64): compile time (document → graph), the graph's op count by phase,
 * WebGPU prepare time (fusion, memory plan, pipelines), dispatches per training step, pipelines
 * made, and the time of a step on the adapter in hand.
 *
 *   T=64 VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium npx tsx bench/recurrent-compile.ts
 */
import { create, globals } from 'webgpu';
import { WebGpuBackend } from '../engine/backends/webgpu/backend';
import type { WebGpuExecutable } from '../engine/backends/webgpu/executable';
import { compileTraining } from '../engine/compile/compiler';
import type { GraphDocument } from '../engine/graph/document';
import { lstmLm } from '../engine/graph/templates/lstmLm';

Object.assign(globalThis, globals);
const gpu = create([]);
const T = Number(process.env.T ?? 64);
const base = lstmLm.build(new Date(0));
const doc: GraphDocument = {
  ...base,
  nodes: base.nodes.map((n) => (n.type === 'Input' ? { ...n, params: { ...n.params, shape: [T] } } : n)),
  training: { ...base.training, dataset: { kind: 'random', inputShape: [T], targetShape: [T], size: 64, seed: 0 } },
};
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

let t0 = performance.now();
const c = compileTraining(doc);
const ops = c.graph.nodes.filter((n) => n.kind === 'op');
const forward = ops.filter((n) => n.id < c.phases.backwardFrom).length;
const backward = ops.filter((n) => n.id >= c.phases.backwardFrom && n.id < c.phases.updateFrom).length;
console.log(`T=${T}: compile ${ms(t0)}; ${ops.length} ops (forward ${forward}, backward ${backward}, update ${ops.length - forward - backward})`);

const backend = await WebGpuBackend.create(gpu);
const device = backend.gpu;
let pipelines = 0;
const made = device.createComputePipelineAsync.bind(device);
device.createComputePipelineAsync = (d) => {
  pipelines++;
  return made(d);
};
for (const v of c.variables) backend.createVariable(v.name, { shape: v.shape, dtype: v.dtype }, new Float32Array(v.shape.reduce((a, d) => a * d, 1)));
t0 = performance.now();
const exec = (await backend.prepare(c.graph, c.spec)) as WebGpuExecutable;
console.log(`WebGPU prepare on ${backend.device}: ${ms(t0)}; ${exec.dispatchesPerRun} dispatches per step; ${pipelines} pipelines made`);
const feeds = new Map<string, Int32Array | Float32Array>();
for (const n of c.graph.nodes) {
  if (n.kind !== 'input') continue;
  const size = n.type.shape.reduce((a, d) => a * d, 1);
  feeds.set(n.name, n.type.dtype === 'i32' ? new Int32Array(size) : new Float32Array(size));
}
exec.run(feeds);
await exec.read(c.loss);
t0 = performance.now();
for (let i = 0; i < 3; i++) exec.run(feeds);
await exec.read(c.loss);
console.log(`training step: ${((performance.now() - t0) / 3).toFixed(1)} ms`);
exec.dispose();
backend.dispose();
process.exit(0); // Dawn's instance keeps Node alive
