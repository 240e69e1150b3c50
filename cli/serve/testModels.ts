/**
 * Models for the serve tests and benchmark: the MNIST MLP template with seeded random weights
 * written as `wiregrad train` writes them, and the engine's own answer for them (the CPU backend's
 * training Program, its inference forward) as the reference the server is checked against.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CpuBackend } from '../../engine/backends/cpu/backend';
import { Program } from '../../engine/compile/program';
import type { GraphDocument } from '../../engine/graph/document';
import { mlpMnist } from '../../engine/graph/templates/mlpMnist';
import { encodeWeights } from '../../engine/interchange/weights';
import { seededRandom } from '../../engine/testing/random';
import { variableSpecs } from '../weights';
import { MODEL_FILE, WEIGHTS_FILE } from './watcher';

export const mnistMlp = (): GraphDocument => mlpMnist.build(new Date('2026-01-01T00:00:00Z'));

/** Every variable of `doc` filled with uniform values in ±scale from `seed`. */
export function randomWeights(doc: GraphDocument, seed: number, scale = 0.1): Record<string, Float32Array> {
  const rand = seededRandom(seed);
  return Object.fromEntries(
    variableSpecs(doc).map((s) => [s.name, Float32Array.from({ length: s.shape.reduce((a, d) => a * d, 1) }, () => (rand.next() * 2 - 1) * scale)]),
  );
}

export const weightsFile = (doc: GraphDocument, weights: Record<string, Float32Array>): Uint8Array => encodeWeights(variableSpecs(doc), weights);

/** Write doc.json and weights.safetensors into `dir`; returns their paths. */
export function writeModel(dir: string, doc: GraphDocument, weights: Record<string, Float32Array>): { doc: string; weights: string } {
  mkdirSync(dir, { recursive: true });
  const paths = { doc: join(dir, MODEL_FILE), weights: join(dir, WEIGHTS_FILE) };
  writeFileSync(paths.doc, JSON.stringify(doc));
  writeFileSync(paths.weights, weightsFile(doc, weights));
  return paths;
}

/** A version folder written beside `root/name` and renamed into place (as the watcher wants). */
export function publishVersion(root: string, name: string, version: number, doc: GraphDocument, weights: Record<string, Float32Array>): void {
  const staging = join(root, `.staging-${name}-${version}`);
  writeModel(staging, doc, weights);
  mkdirSync(join(root, name), { recursive: true });
  renameSync(staging, join(root, name, String(version)));
}

/** The engine's output of `node` for `x` (n samples of `field`), on the CPU backend's Program with these weights. */
export async function engineForward(
  doc: GraphDocument,
  weights: Record<string, Float32Array>,
  field: string,
  x: Float32Array,
  node: string,
): Promise<Float32Array> {
  const backend = new CpuBackend();
  const program = await Program.create(doc, backend);
  try {
    program.setWeights(weights);
    const out = await program.forward({ [field]: x }, { nodes: [node] });
    return Float32Array.from(out.get(node)!.y!.data);
  } finally {
    program.dispose();
    backend.dispose();
  }
}

/** `n` MNIST-like samples of 784 values in [0, 1) from `seed`. */
export function randomImages(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n * 784 }, () => rand.next());
}
