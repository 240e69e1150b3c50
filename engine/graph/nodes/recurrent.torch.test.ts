/** RNN, LSTM and GRU against PyTorch on the CPU reference backend (the WebGPU run: recurrent.torch.gpu.test.ts). */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';
import { recurrentMatchesPyTorch, TORCH_RECURRENT } from './recurrentTorch';

describe('recurrent layers on the CPU backend', () => {
  recurrentMatchesPyTorch(() => new CpuBackend());

  it("draws its first weights from PyTorch's U(-1/sqrt(H), 1/sqrt(H)), as the fixture's weights are", async () => {
    for (const kind of ['RNN', 'LSTM', 'GRU']) {
      const units = 16;
      const doc = makeDoc(
        [
          ['x', 'Input', { field: 'x', shape: [4, 3] }],
          ['r', kind, { units, returnSequences: false }],
          ['t', 'Input', { field: 't', shape: [units] }],
          ['loss', 'MSELoss'],
        ],
        ['x.y -> r.x', 'r.y -> loss.pred', 't.y -> loss.target'],
        { batchSize: 2, seed: 3 },
      );
      const program = await Program.create(doc, new CpuBackend());
      const weights = await program.getWeights();
      program.dispose();
      const bound = 1 / Math.sqrt(units);
      const all: number[] = [];
      for (const name of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']) {
        const w = Array.from(weights[`r/${name}`]!);
        expect(Math.max(...w.map(Math.abs)), `${kind} ${name}`).toBeLessThanOrEqual(bound);
        all.push(...w);
      }
      // Spread over the whole range, not clustered near zero: the mean square of U(-a, a) is a²/3.
      const meanSquare = all.reduce((a, v) => a + v * v, 0) / all.length;
      expect(Math.abs(meanSquare / (bound ** 2 / 3) - 1), `${kind}: mean square ${meanSquare} of ${all.length} values`).toBeLessThan(0.15);
    }
    // The fixture's torch weights lie in the same range.
    for (const c of TORCH_RECURRENT.cases) {
      const bound = 1 / Math.sqrt(c.params.units as number);
      for (const w of Object.values(c.weights)) expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    }
  });
});
