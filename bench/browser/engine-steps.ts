/**
 * The engine alone, for `npm run bench:app`: a template's document trained by Program on WebGPU in a
 * plain worker, with no page UI, no trainer and no messages — the job the studio's trainer does
 * (resident dataset, the same training split in shuffled batches of sample indices, no readback per
 * step, a drain at display rate, and the same validation pass at each epoch's end, at most every
 * 500 ms), so that what the app loses against it is the worker and the UI.
 */
import { WebGpuBackend } from '../../engine/backends/webgpu/backend';
import { Program } from '../../engine/compile/program';
import { evaluate } from '../../engine/compile/evaluate';
import { builtinDataset, epochBatches, splitIndices, type Dataset } from '../../engine/data';
import { mnistDataset, MNIST_URL } from '../../engine/data/mnist';
import type { GraphDocument } from '../../engine/graph/document';
import { templateById } from '../../engine/graph/templates';
import { FLUSH_MS, VALIDATE_MIN_MS } from '../../workers/trainer';

// The trainer's own pacing: it drains (and sends events) every FLUSH_MS, and validates at an
// epoch's end at most every VALIDATE_MIN_MS.

export interface EngineRun {
  readonly template: string;
  readonly device: string;
  readonly steps: number;
  readonly seconds: number;
  readonly stepsPerSecond: number;
  readonly firstLoss: number;
  readonly lastLoss: number;
  /** Validation passes in the timed part. */
  readonly validations: number;
}

async function datasetFor(doc: GraphDocument, dataBase: string): Promise<Dataset> {
  const cfg = doc.training.dataset;
  if (cfg.kind !== 'mnist') return builtinDataset(cfg, doc.training.seed);
  const response = await fetch(new URL(MNIST_URL, dataBase));
  if (!response.ok) throw new Error(`could not fetch ${MNIST_URL} from ${dataBase}: HTTP ${response.status}`);
  return mnistDataset(new Uint8Array(await response.arrayBuffer()), cfg.subset);
}

/** Train template `id` for `seconds` after a short warm-up; steps per second of the timed part. */
export async function engineSteps(id: string, seconds: number, dataBase: string, log: (line: string) => void): Promise<EngineRun> {
  const template = templateById(id);
  if (!template) throw new Error(`no template "${id}"`);
  const doc = template.build();
  const dataset = await datasetFor(doc, dataBase);
  const backend = await WebGpuBackend.create(navigator.gpu);
  const program = await Program.create(doc, backend, { resident: dataset.data });
  const { batchSize, seed, validationSplit } = doc.training;
  const split = splitIndices(dataset.length, validationSplit, seed);
  let epoch = 0;
  let batches = epochBatches(split.train, batchSize, seed, epoch, true);
  let epochEnded = false;
  const next = (): Int32Array => {
    for (;;) {
      const b = batches.next();
      if (!b.done) return b.value;
      batches = epochBatches(split.train, batchSize, seed, ++epoch, true);
      epochEnded = true;
    }
  };
  log(
    `engine alone: ${template.name} on ${backend.device}, ${split.train.length} training / ${split.validation.length} validation samples, batch ${batchSize}`,
  );
  for (let i = 0; i < 5; i++) await program.stepIndices(next());
  // The app prepares its validation programs once per compile: so does the engine, before timing.
  if (split.validation.length) await evaluate(program, doc, dataset, split.validation);
  const firstLoss = (await program.drain())[0]!.loss;
  let lastLoss = firstLoss;
  let steps = 0;
  let validations = 0;
  const t0 = performance.now();
  let lastDrain = t0;
  let lastValidation = -Infinity;
  while (performance.now() - t0 < seconds * 1000) {
    const idx = next();
    if (epochEnded) {
      epochEnded = false;
      if (split.validation.length && performance.now() - lastValidation >= VALIDATE_MIN_MS) {
        lastValidation = performance.now();
        await evaluate(program, doc, dataset, split.validation);
        validations++;
      }
    }
    await program.stepIndices(idx);
    steps++;
    if (performance.now() - lastDrain >= FLUSH_MS) {
      const records = await program.drain();
      if (records.length) lastLoss = records[records.length - 1]!.loss;
      lastDrain = performance.now();
    }
  }
  const records = await program.drain();
  if (records.length) lastLoss = records[records.length - 1]!.loss;
  const elapsed = (performance.now() - t0) / 1000;
  program.dispose();
  backend.dispose();
  return { template: template.name, device: backend.device, steps, seconds: elapsed, stepsPerSecond: steps / elapsed, firstLoss, lastLoss, validations };
}
