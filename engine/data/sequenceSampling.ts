/**
 * Choosing the next token from a model's logits: greedy (argmax), or sampling from
 * softmax(logits / temperature) restricted to the top k (as GPT-2's and nanoGPT's `generate`).
 * The random number of token i of a generation is uniform01(seed, SAMPLE_STREAM, i), so a
 * generation cut into several calls draws the same tokens as one call.
 */
import { uniform01 } from '../ops/random';

/** The counter of engine/ops/random's streams that sampling draws from. */
const SAMPLE_STREAM = 0x5a3b1e;

export interface SamplingOptions {
  /** 0: greedy (argmax); otherwise logits are divided by it before the softmax. */
  readonly temperature: number;
  /** Keep only the k most likely tokens (undefined or 0: all). */
  readonly topK?: number;
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let best = 0;
  for (let i = 1; i < length; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}

/**
 * The distribution sampling draws from, float64: softmax(logits / temperature) over the `topK`
 * largest logits (ties broken by lower index), 0 elsewhere. Temperature must be > 0.
 */
export function samplingProbabilities(logits: ArrayLike<number>, opts: SamplingOptions): Float64Array {
  const n = logits.length;
  if (!(opts.temperature > 0)) throw new Error(`temperature must be > 0 to sample (got ${opts.temperature}); 0 means greedy decoding`);
  const k = opts.topK && opts.topK > 0 ? Math.min(Math.floor(opts.topK), n) : n;
  const keep = new Uint8Array(n);
  if (k === n) keep.fill(1);
  else {
    const order = Array.from({ length: n }, (_v, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
    for (let i = 0; i < k; i++) keep[order[i]!] = 1;
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (keep[i]) max = Math.max(max, logits[i]! / opts.temperature);
  const p = new Float64Array(n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    p[i] = Math.exp(logits[i]! / opts.temperature - max);
    z += p[i]!;
  }
  for (let i = 0; i < n; i++) p[i]! /= z;
  return p;
}

/** The token drawn from `probabilities` by the uniform number u in [0, 1) (inverse CDF; never a 0-probability token). */
export function drawFrom(probabilities: ArrayLike<number>, u: number): number {
  let acc = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i]! <= 0) continue;
    acc += probabilities[i]!;
    last = i;
    if (u < acc) return i;
  }
  return last; // rounding left u ≥ the sum: the last possible token
}

/** The uniform number token `index` of a generation seeded `seed` draws. */
export function sampleUniform(seed: number, index: number): number {
  return uniform01(seed, SAMPLE_STREAM, index);
}

/** The next token: argmax at temperature 0, otherwise a draw with the generation's `index`-th number. */
export function nextToken(logits: ArrayLike<number>, opts: SamplingOptions, seed: number, index: number): number {
  if (opts.temperature === 0) return argmax(logits);
  return drawFrom(samplingProbabilities(logits, opts), sampleUniform(seed, index));
}
