/**
 * Wiregrad's side of the benchmarks: a Workload compiled by Program on a backend, and one matmul
 * prepared on a backend. Steps are timed as "N steps, then one sync": no readback inside.
 */
import type { Backend } from '../../engine/backends/backend';
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { Graph } from '../../engine/compile/graph';
import { Program } from '../../engine/compile/program';
import { OpBuilder } from '../../engine/ops/builder';
import type { MatmulCase, TrainCase, Weights } from './cases';
import type { FixedBatch, MatmulShape, Workload } from './models';

/** The initial weights Wiregrad gives `w` (Glorot-uniform from the document's seed), read from a CPU compile. */
export async function initialWeights(w: Workload): Promise<Weights> {
  const backend = new CpuBackend();
  const program = await Program.create(w.doc, backend);
  const values = await program.getWeights();
  const out = Object.fromEntries(program.variables.map((v) => [v.name, { data: values[v.name]!, shape: v.shape }]));
  program.dispose();
  backend.dispose();
  return out;
}

/**
 * Compile `w` on `backend`. The batch lives on the device (a resident dataset, as the studio's
 * trainer keeps it, and as the tfjs cases hold their batch in a tensor): each step sends only the
 * sample indices. A step is Program.stepIndices (no readback); the sync drains the logged losses.
 */
export async function wiregradCase(w: Workload, batch: FixedBatch, backend: Backend): Promise<TrainCase> {
  const program = await Program.create(w.doc, backend, { resident: { x: batch.x, label: batch.label } });
  const indices = Int32Array.from({ length: w.batch }, (_v, i) => i);
  let drains = true;
  const c: TrainCase = {
    step: () => program.stepIndices(indices),
    async sync() {
      if (drains) {
        try {
          const records = await program.drain();
          const last = records[records.length - 1];
          if (!last) throw new Error('drain() returned no step records');
          return last.loss;
        } catch (e) {
          // A backend without the scalar log yet: wait for the device, then read the loss node once.
          drains = false;
          (c as { note?: string }).note = `drain() failed (${e instanceof Error ? e.message : String(e)}): synced by settled() + reading the loss node`;
        }
      }
      await program.settled();
      return (await program.read(w.lossNode)).data[0]!;
    },
    dispose: () => program.dispose(),
  };
  return c;
}

/** C = op(A)·op(B) on `backend`, A and B held as variables (no upload per run). */
export async function wiregradMatmul(s: MatmulShape, a: Float32Array, b: Float32Array, backend: Backend): Promise<MatmulCase> {
  const key = `bench/${s.m}x${s.k}x${s.n}`;
  const shapeA = s.transA ? [s.k, s.m] : [s.m, s.k];
  const shapeB = s.transB ? [s.n, s.k] : [s.k, s.n];
  backend.createVariable(`${key}/a`, { shape: shapeA, dtype: 'f32' }, a);
  backend.createVariable(`${key}/b`, { shape: shapeB, dtype: 'f32' }, b);
  const graph = new Graph();
  const ops = new OpBuilder(graph);
  const c = ops.matmul(graph.variable(`${key}/a`, shapeA), graph.variable(`${key}/b`, shapeB), s.transA, s.transB);
  const exec = await backend.prepare(graph, { outputs: [c], updates: [] });
  const none = new Map();
  return {
    run: () => exec.run(none),
    sync: () => exec.settled(),
    result: () => exec.read(c),
    dispose: () => exec.dispose(),
  };
}
