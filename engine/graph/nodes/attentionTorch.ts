/**
 * Test support: MultiHeadAttention against PyTorch's nn.MultiheadAttention(batch_first=True)
 * (fixtures/attention.torch.json, made by scripts/make-torch-attention-fixture.py in float64), as one
 * suite any backend runs: the output, the per-head softmax weights, the MSE loss, and the gradients
 * of the inputs and of every weight after one training step.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Backend } from '../../backends/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';

type Weights = Readonly<Record<string, number[]>>;
interface TorchCase {
  readonly name: string;
  readonly batch: number;
  readonly tq: number;
  readonly tk: number;
  readonly embed: number;
  readonly kvDim: number;
  readonly heads: number;
  readonly keyDim: number;
  readonly causal: boolean;
  readonly cross: boolean;
  readonly q: number[];
  readonly kv: number[] | null;
  readonly target: number[];
  readonly weights: Weights;
  readonly y: number[];
  readonly attention: number[];
  readonly loss: number;
  readonly dq: number[];
  readonly dkv: number[] | null;
  readonly grads: Weights;
}

export const TORCH_ATTENTION: { readonly torch: string; readonly cases: readonly TorchCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/attention.torch.json', import.meta.url), 'utf8'),
);

function near(actual: ArrayLike<number>, expected: readonly number[], what: string, tol = 2e-5) {
  expect(actual.length, what).toBe(expected.length);
  const worst = expected.reduce((w, e, i) => Math.max(w, Math.abs(actual[i]! - e)), 0);
  expect(worst, `${what}: largest difference from PyTorch`).toBeLessThanOrEqual(tol);
}

const identity = (n: number) => Float32Array.from({ length: n * n }, (_v, i) => (i % (n + 1) === 0 ? 1 : 0));

/**
 * Inputs → identity Dense (so its gradient is the input's) → MultiHeadAttention → MSE loss.
 * The Dense kernels are reset to the identity before the step; outputs and gradients are read from that one step.
 */
function mhaDoc(c: TorchCase) {
  return makeDoc(
    [
      ['q', 'Input', { field: 'q', shape: [c.tq, c.embed] }],
      ['passQ', 'Dense', { units: c.embed, useBias: false }],
      ...(c.cross
        ? ([
            ['kv', 'Input', { field: 'kv', shape: [c.tk, c.kvDim] }],
            ['passKv', 'Dense', { units: c.kvDim, useBias: false }],
          ] as const)
        : []),
      ['mha', 'MultiHeadAttention', { heads: c.heads, keyDim: c.keyDim, causal: c.causal }],
      ['t', 'Input', { field: 't', shape: [c.tq, c.embed] }],
      ['loss', 'MSELoss'],
    ],
    ['q.y -> passQ.x', 'passQ.y -> mha.q', ...(c.cross ? ['kv.y -> passKv.x', 'passKv.y -> mha.kv'] : []), 'mha.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: c.batch, optimizer: { type: 'sgd' }, lr: 1e-9, seed: 1 },
  );
}

/** The suite, for the backend `make` builds. */
export function attentionMatchesPyTorch(make: () => Backend | Promise<Backend>) {
  for (const c of TORCH_ATTENTION.cases) {
    it(`MultiHeadAttention equals PyTorch ${TORCH_ATTENTION.torch} nn.MultiheadAttention (${c.name}): output, attention weights, loss, input and weight gradients`, async () => {
      const program = await Program.create(mhaDoc(c), await make());
      program.setWeights({
        ...Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [`mha/${k}`, Float32Array.from(v)])),
        'passQ/kernel': identity(c.embed),
        ...(c.cross ? { 'passKv/kernel': identity(c.kvDim) } : {}),
      });
      const feeds = { q: Float32Array.from(c.q), t: Float32Array.from(c.target), ...(c.kv ? { kv: Float32Array.from(c.kv) } : {}) };
      const loss = await program.step(feeds);
      near([loss], [c.loss], 'loss');
      near((await program.read('mha')).data, c.y, 'output');
      near((await program.read('mha', 'value', 'attention')).data, c.attention, 'attention weights');
      near((await program.read('passQ', 'grad')).data, c.dq, 'query input gradient');
      if (c.dkv) near((await program.read('passKv', 'grad')).data, c.dkv, 'key/value input gradient');
      const grads = await program.readGradients();
      for (const [name, g] of Object.entries(c.grads)) near(grads[`mha/${name}`]!, g, `${name} gradient`);
      program.dispose();
    });
  }
}
