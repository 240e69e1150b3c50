/**
 * Test support: BatchNorm with its defaults against PyTorch's (fixtures/batchnorm.torch.json, made by
 * scripts/make-batchnorm-fixture.py), as one suite any backend runs: forward output in training and
 * eval mode, the loss, the gradients of the input, gamma and beta, and the running statistics and
 * parameters after each of three SGD steps.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { Backend } from '../../backends/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';

interface TorchStep {
  readonly x: number[];
  readonly t: number[];
  readonly y: number[];
  readonly loss: number;
  readonly dx: number[];
  readonly dgamma: number[];
  readonly dbeta: number[];
  readonly running_mean: number[];
  readonly running_var: number[];
  readonly gamma: number[];
  readonly beta: number[];
}
interface TorchCase {
  readonly name: string;
  readonly shape: number[];
  readonly lr: number;
  readonly defaults: { readonly momentum: number; readonly eps: number; readonly weight: number[]; readonly bias: number[] };
  readonly steps: TorchStep[];
  readonly eval: { readonly x: number[]; readonly y: number[] };
}

export const TORCH_BATCHNORM: { readonly torch: string; readonly cases: readonly TorchCase[] } = JSON.parse(
  readFileSync(new URL('./fixtures/batchnorm.torch.json', import.meta.url), 'utf8'),
);

/** Within 1e-5 of PyTorch, element by element, naming what differs. */
function near(actual: ArrayLike<number>, expected: readonly number[], what: string, tol = 1e-5) {
  expect(actual.length, what).toBe(expected.length);
  const worst = expected.reduce((w, e, i) => Math.max(w, Math.abs(actual[i]! - e)), 0);
  expect(worst, `${what}: largest difference from PyTorch`).toBeLessThanOrEqual(tol);
}

/**
 * A default BatchNorm between an Input and an MSE loss, trained with SGD at PyTorch's rate. An
 * identity Dense (reset before each step) passes x through unchanged so that its output carries the
 * input gradient (an Input has none).
 */
function bnDoc(c: TorchCase) {
  const sample = c.shape.slice(1);
  return makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: sample }],
      ['pass', 'Dense', { units: sample[sample.length - 1], useBias: false }],
      ['bn', 'BatchNorm'],
      ['t', 'Input', { field: 't', shape: sample }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> pass.x', 'pass.y -> bn.x', 'bn.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: c.shape[0], optimizer: { type: 'sgd' }, lr: c.lr, seed: 1 },
  );
}

/** The suite, for the backend `make` builds. */
export function batchNormMatchesPyTorch(make: () => Backend | Promise<Backend>) {
  for (const c of TORCH_BATCHNORM.cases) {
    it(`BatchNorm with its defaults equals PyTorch ${TORCH_BATCHNORM.torch} (${c.name}, [${c.shape.join(', ')}]): training and eval outputs, gradients, running statistics over 3 steps`, async () => {
      const program = await Program.create(bnDoc(c), await make());
      const start = await program.getWeights();
      near(start['bn/gamma']!, c.defaults.weight, 'initial gamma');
      near(start['bn/beta']!, c.defaults.bias, 'initial beta');
      const channels = c.shape[c.shape.length - 1]!;
      const identity = Float32Array.from({ length: channels * channels }, (_v, i) => (i % (channels + 1) === 0 ? 1 : 0));
      for (const [k, s] of c.steps.entries()) {
        program.setWeights({ 'pass/kernel': identity });
        const loss = await program.step({ x: Float32Array.from(s.x), t: Float32Array.from(s.t) });
        near([loss], [s.loss], `step ${k + 1} loss`);
        near((await program.read('bn')).data, s.y, `step ${k + 1} training output`);
        near((await program.read('pass', 'grad')).data, s.dx, `step ${k + 1} input gradient`);
        const grads = await program.readGradients();
        near(grads['bn/gamma']!, s.dgamma, `step ${k + 1} gamma gradient`);
        near(grads['bn/beta']!, s.dbeta, `step ${k + 1} beta gradient`);
        const w = await program.getWeights();
        near(w['bn/moving_mean']!, s.running_mean, `step ${k + 1} running mean`);
        near(w['bn/moving_variance']!, s.running_var, `step ${k + 1} running variance`);
        near(w['bn/gamma']!, s.gamma, `step ${k + 1} gamma after SGD`);
        near(w['bn/beta']!, s.beta, `step ${k + 1} beta after SGD`);
      }
      program.setWeights({ 'pass/kernel': identity });
      const inference = await program.forward({ x: Float32Array.from(c.eval.x) });
      near(inference.get('bn')!.y!.data, c.eval.y, 'eval-mode output');
      program.dispose();
    });
  }
}
