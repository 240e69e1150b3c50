/**
 * How long Program.create takes for the LeNet template on one WebGPU device: the first compile
 * (every pipeline made), then recompiles on the same, warm backend (pipelines cached by code),
 * fresh and carrying variables over, and a compile on a new device for comparison.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json LD_LIBRARY_PATH=/usr/lib/chromium npx tsx bench/compile-time.ts
 */
import { create, globals } from 'webgpu';
import { lenet } from '../engine/graph/templates/lenet';
import { WebGpuBackend } from '../engine/backends/webgpu/backend';
import { compileTraining } from '../engine/compile/compiler';
import { Program, type ProgramOptions } from '../engine/compile/program';

Object.assign(globalThis, globals);
const gpu = create([]);
const doc = lenet.build(new Date(0));
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

async function timed(backend: WebGpuBackend, options: ProgramOptions = {}): Promise<[Program, string]> {
  const t0 = performance.now();
  const program = await Program.create(doc, backend, options);
  await program.settled();
  return [program, ms(t0)];
}

let t0 = performance.now();
compileTraining(doc);
console.log(`compile only (document → graph, no backend): ${ms(t0)}`);
const backend = await WebGpuBackend.create(gpu);
console.log(`device: ${backend.device}`);
let [program, time] = await timed(backend);
console.log(`first Program.create: ${time}`);
for (const options of [{}, {}, { carry: 'backend' as const }]) {
  program.dispose();
  [program, time] = await timed(backend, options);
  console.log(`again on the warm backend${options.carry ? ' (carry)' : ''}: ${time}`);
}
program.dispose();
backend.dispose();
t0 = performance.now();
const other = await WebGpuBackend.create(gpu);
const device = ms(t0);
[program, time] = await timed(other);
console.log(`on a new device: ${time} (making the device: ${device})`);
program.dispose();
other.dispose();
process.exit(0); // Dawn's instance keeps Node alive
