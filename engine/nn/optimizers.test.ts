/**
 * Each optimizer's first steps on f(w) = sum((w − t)²), w0 = [1, 1], t = [0, 2] (gradient 2(w − t)),
 * against literal hand-computed values and a scalar re-derivation of the published update rule.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { Program } from '../compile/program';
import { makeDoc } from '../testing/docs';

const target = [0, 2];

async function trajectory(optimizer: Record<string, unknown>, steps: number, lr = 0.1): Promise<number[][]> {
  const doc = makeDoc(
    [
      ['w', 'Parameter', { shape: [2], init: { kind: 'constant', value: 1 } }],
      ['t', 'Constant', { shape: [2], values: target }],
      ['loss', 'SumSquaresLoss'],
    ],
    ['w.y -> loss.pred', 't.y -> loss.target'],
    { optimizer, lr, batchSize: 1 },
  );
  const program = await Program.create(doc, new CpuBackend({ precision: 'f64' }));
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    await program.step({});
    out.push(Array.from(await program.backend.readVariable('w/value')));
  }
  return out;
}

/** The same rules for one scalar coordinate, written out plainly. */
function scalarReference(kind: string, w0: number, t: number, steps: number, lr = 0.1): number[] {
  let w = w0;
  let [m, v, s, buf] = [0, 0, 0, 0];
  let acc = 0;
  const out: number[] = [];
  for (let k = 1; k <= steps; k++) {
    const g = 2 * (w - t);
    switch (kind) {
      case 'sgd':
        w -= lr * g;
        break;
      case 'momentum':
        v = 0.9 * v - lr * g;
        w += v;
        break;
      case 'nesterov':
        v = 0.9 * v - lr * g;
        w += 0.9 * v - lr * g;
        break;
      case 'adam':
      case 'adamw': {
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        const upd = m / (1 - 0.9 ** k) / (Math.sqrt(v / (1 - 0.999 ** k)) + 1e-8);
        w -= lr * (upd + (kind === 'adamw' ? 0.01 * w : 0));
        break;
      }
      case 'rmsprop':
        s = 0.99 * s + 0.01 * g * g;
        w -= (lr * g) / (Math.sqrt(s) + 1e-8);
        break;
      case 'rmsprop_momentum':
        s = 0.99 * s + 0.01 * g * g;
        buf = 0.5 * buf + g / (Math.sqrt(s) + 1e-8);
        w -= lr * buf;
        break;
      case 'adagrad':
        acc += g * g;
        w -= (lr * g) / (Math.sqrt(acc) + 1e-10);
        break;
      case 'sgd_l2':
        w -= lr * (g + 0.5 * w);
        break;
    }
    out.push(w);
  }
  return out;
}

const CASES: [string, Record<string, unknown>, number[]][] = [
  // [reference name, optimizer config, hand-computed first step for w = [1, 1]]
  ['sgd', { type: 'sgd' }, [0.8, 1.2]],
  ['momentum', { type: 'sgd', momentum: 0.9 }, [0.8, 1.2]],
  ['nesterov', { type: 'sgd', momentum: 0.9, nesterov: true }, [0.62, 1.38]],
  ['adam', { type: 'adam' }, [0.9, 1.1]],
  ['adamw', { type: 'adamw', weightDecay: 0.01 }, [0.899, 1.099]],
  // PyTorch's defaults: RMSprop alpha 0.99 (s = 0.01·4 = 0.04), Adagrad accumulator from 0 (acc = 4).
  ['rmsprop', { type: 'rmsprop' }, [1 - 0.2 / Math.sqrt(0.04), 1 + 0.2 / Math.sqrt(0.04)]],
  ['rmsprop_momentum', { type: 'rmsprop', momentum: 0.5 }, [1 - 0.2 / Math.sqrt(0.04), 1 + 0.2 / Math.sqrt(0.04)]],
  ['adagrad', { type: 'adagrad' }, [1 - 0.2 / Math.sqrt(4), 1 + 0.2 / Math.sqrt(4)]],
  ['sgd_l2', { type: 'sgd', weightDecay: 0.5 }, [1 - 0.1 * 2.5, 1 - 0.1 * (-2 + 0.5)]],
];

describe('optimizers', () => {
  for (const [name, cfg, first] of CASES) {
    it(`${name}: first step by hand, five steps by the scalar rule`, async () => {
      const traj = await trajectory(cfg, 5);
      expect(traj[0]![0]).toBeCloseTo(first[0]!, 6);
      expect(traj[0]![1]).toBeCloseTo(first[1]!, 6);
      [0, 1].forEach((i) => {
        const ref = scalarReference(name, 1, target[i]!, 5);
        traj.forEach((w, k) => expect(w[i]).toBeCloseTo(ref[k]!, 9));
      });
    });
  }

  it('a learning-rate schedule changes the step size (step decay halves it after 2 steps)', async () => {
    const doc = makeDoc(
      [
        ['w', 'Parameter', { shape: [1], init: { kind: 'constant', value: 1 } }],
        ['t', 'Constant', { shape: [1], values: [0] }],
        ['loss', 'SumSquaresLoss'],
      ],
      ['w.y -> loss.pred', 't.y -> loss.target'],
      { optimizer: { type: 'sgd' }, lr: 0.1, schedule: { type: 'step', stepSize: 2, gamma: 0.5 } },
    );
    const p = await Program.create(doc, new CpuBackend({ precision: 'f64' }));
    const ws: number[] = [];
    for (let s = 0; s < 3; s++) {
      await p.step({});
      ws.push((await p.backend.readVariable('w/value'))[0]!);
    }
    // w ← w(1 − 2·lr): lr 0.1, 0.1, then 0.05.
    expect(ws[0]).toBeCloseTo(0.8, 9);
    expect(ws[1]).toBeCloseTo(0.64, 9);
    expect(ws[2]).toBeCloseTo(0.64 * 0.9, 9);
  });
});
