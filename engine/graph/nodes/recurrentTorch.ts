/**
 * Test support: RNN, LSTM and GRU against PyTorch's (fixtures/recurrent.torch.json, made by
 * scripts/make-torch-recurrent-fixture.py), as one suite any backend runs: with torch's weights
 * loaded one-to-one, the forward output, the MSE loss, and the gradients of the input and of
 * weight_ih, weight_hh, bias_ih and bias_hh.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Backend } from '../../backends/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';

interface TorchCase {
  readonly kind: 'RNN' | 'LSTM' | 'GRU';
  readonly params: Readonly<Record<string, unknown>>;
  readonly shape: readonly [number, number, number];
  readonly weights: Readonly<Record<string, number[]>>;
  readonly x: number[];
  readonly t: number[];
  readonly y: number[];
  readonly loss: number;
  readonly dx: number[];
  readonly grads: Readonly<Record<string, number[]>>;
}

export const TORCH_RECURRENT: { readonly torch: string; readonly cases: readonly TorchCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/recurrent.torch.json', import.meta.url), 'utf8'),
);

/** Within `tol` of PyTorch, element by element, naming what differs. */
function near(actual: ArrayLike<number>, expected: readonly number[], what: string, tol: number) {
  expect(actual.length, what).toBe(expected.length);
  const worst = expected.reduce((w, e, i) => Math.max(w, Math.abs(actual[i]! - e)), 0);
  expect(worst, `${what}: largest difference from PyTorch`).toBeLessThanOrEqual(tol);
}

/**
 * The layer between an Input and an MSE loss. An identity Dense (its kernel set before the step)
 * passes x through unchanged so that its output carries the input gradient (an Input has none).
 */
function recurrentDoc(c: TorchCase) {
  const [batch, time, features] = c.shape;
  const targetShape = c.params.returnSequences ? [time, c.params.units] : [c.params.units];
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [time, features] }],
      ['pass', 'Dense', { units: features, useBias: false }],
      ['rnn', c.kind, c.params as Record<string, unknown>],
      ['t', 'Input', { field: 't', shape: targetShape }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> pass.x', 'pass.y -> rnn.x', 'rnn.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: batch, optimizer: { type: 'sgd' }, lr: 0.1, seed: 1 },
  );
}

const caseName = (c: TorchCase) => `${c.kind} ${JSON.stringify(c.params)}`;

/** The suite, for the backend `make` builds; `tol` allows for the backend's float32 arithmetic. */
export function recurrentMatchesPyTorch(make: () => Backend | Promise<Backend>, tol = 2e-5) {
  for (const c of TORCH_RECURRENT.cases) {
    it(`${caseName(c)} with PyTorch ${TORCH_RECURRENT.torch}'s weights gives its output, loss and gradients (input, weight_ih, weight_hh${c.params.useBias ? ', bias_ih, bias_hh' : ''})`, async () => {
      const program = await Program.create(recurrentDoc(c), await make());
      const features = c.shape[2];
      const identity = Float32Array.from({ length: features * features }, (_v, i) => (i % (features + 1) === 0 ? 1 : 0));
      const names = Object.keys(c.weights);
      expect(
        program.variables
          .filter((v) => v.name.startsWith('rnn/'))
          .map((v) => v.name)
          .sort(),
      ).toEqual(names.map((n) => `rnn/${n}`).sort());
      program.setWeights({ 'pass/kernel': identity, ...Object.fromEntries(names.map((n) => [`rnn/${n}`, Float32Array.from(c.weights[n]!)])) });
      const loss = await program.step({ x: Float32Array.from(c.x), t: Float32Array.from(c.t) });
      near([loss], [c.loss], 'loss', tol);
      near((await program.read('rnn')).data, c.y, 'output', tol);
      near((await program.read('pass', 'grad')).data, c.dx, 'input gradient', tol);
      const grads = await program.readGradients();
      for (const n of names) near(grads[`rnn/${n}`]!, c.grads[n]!, `${n} gradient`, tol);
      program.dispose();
    });
  }
}
