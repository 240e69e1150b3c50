/**
 * The training session's lifecycle on the CPU reference: a fresh session ignores what the backend
 * held, a hot edit carries variables over by name and shape, optimizer hyperparameters change live
 * (checked against PyTorch's formulas in float64), SGD momentum follows PyTorch after a rate
 * change, and checkpoints round-trip exactly.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { builtinDataset, gatherBatch } from '../data';
import { OptimizerConfig } from '../graph/training';
import { canApplyLive } from '../nn/optimizers';
import { makeDoc } from '../testing/docs';
import { Program } from './program';

/** Dense → BatchNorm → Dropout → Dense(`units`) → Dense(2): parameters, running statistics, a random op. */
const classifier = (units = 8, optimizer: Record<string, unknown> = { type: 'adam' }) =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['d1', 'Dense', { units: 8, activation: 'tanh' }],
      ['bn', 'BatchNorm'],
      ['drop', 'Dropout', { rate: 0.2 }],
      ['d2', 'Dense', { units, activation: 'relu' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy', { labels: 'sparse' }],
    ],
    ['x.y -> d1.x', 'd1.y -> bn.x', 'bn.y -> drop.x', 'drop.y -> d2.x', 'd2.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'xor', size: 64, noise: 0.1 }, optimizer, lr: 0.05, batchSize: 16, seed: 3 },
  );

const data = builtinDataset(classifier().training.dataset, 3);
const batchAt = (k: number) =>
  gatherBatch(
    data,
    Int32Array.from({ length: 16 }, (_v, i) => (k * 16 + i) % data.length),
  );

async function train(program: Program, from: number, steps: number): Promise<number[]> {
  const losses: number[] = [];
  for (let k = from; k < from + steps; k++) losses.push(await program.step(batchAt(k)));
  return losses;
}

describe('a fresh session', () => {
  it('on a backend that already trained starts exactly as on a new backend: weights, Adam slots, running statistics', async () => {
    const backend = new CpuBackend();
    const used = await Program.create(classifier(12), backend);
    await train(used, 0, 5);
    used.dispose();

    const fresh = await Program.create(classifier(12), backend);
    const reference = await Program.create(classifier(12), new CpuBackend());
    // Before any step: every variable (slots and BN statistics included) equals a new backend's.
    const [a, b] = [await fresh.snapshot(), await reference.snapshot()];
    expect([...a.values.keys()].sort()).toEqual([...b.values.keys()].sort());
    for (const [name, values] of b.values) expect(a.values.get(name), name).toEqual(values);
    expect(await train(fresh, 0, 5)).toEqual(await train(reference, 0, 5));
    expect(fresh.carried.kept).toEqual([]);
  });

  it('frees the variables of the earlier session that it does not read', async () => {
    const backend = new CpuBackend();
    (await Program.create(classifier(8, { type: 'sgd', momentum: 0.9 }), backend, { resident: data.data })).dispose();
    expect(backend.variableNames()).toContain('d1/kernel:velocity');
    expect(backend.variableNames()).toContain('__data/x');
    const next = await Program.create(classifier(8), backend);
    const expected = (await next.snapshot()).values.keys();
    expect(backend.variableNames().sort()).toEqual([...expected].sort());
  });
});

describe('a hot edit (carry)', () => {
  const layer = (names: string[], node: string) => names.filter((n) => n.startsWith(`${node}/`));

  for (const from of ['backend', 'program'] as const) {
    it(`keeps every variable whose name and shape are unchanged, bit for bit, and initialises the rest (carry from the ${from})`, async () => {
      const backend = new CpuBackend();
      const before = await Program.create(classifier(8), backend);
      await train(before, 0, 5);
      const old = await before.snapshot();
      if (from === 'backend') before.dispose();

      const after = await Program.create(classifier(6), backend, { carry: from === 'backend' ? 'backend' : before });
      after.stepCount = before.stepCount;
      const now = await after.snapshot();
      const initial = await (await Program.create(classifier(6), new CpuBackend())).snapshot();
      const names = [...now.values.keys()].filter((n) => !n.startsWith('__'));
      // d2 has 6 units now: its kernel and bias, and logits' kernel (its input is d2) are reshaped.
      const reshaped = [...layer(names, 'd2'), 'logits/kernel', 'logits/kernel:m', 'logits/kernel:v'];
      expect(reshaped.sort()).toEqual([
        'd2/bias',
        'd2/bias:m',
        'd2/bias:v',
        'd2/kernel',
        'd2/kernel:m',
        'd2/kernel:v',
        'logits/kernel',
        'logits/kernel:m',
        'logits/kernel:v',
      ]);
      for (const name of names) {
        const expected = reshaped.includes(name) ? initial.values.get(name) : old.values.get(name);
        expect(now.values.get(name), name).toEqual(expected);
      }
      // The kept ones did train (the comparison is not of initial values with themselves).
      expect(old.values.get('d1/kernel')).not.toEqual(initial.values.get('d1/kernel'));
      expect(old.values.get('bn/moving_mean')).not.toEqual(initial.values.get('bn/moving_mean'));
      expect(now.values.get('d1/kernel:m')!.some((v) => v !== 0)).toBe(true);

      expect([...after.carried.initialised].sort()).toEqual(reshaped.sort());
      expect([...after.carried.kept].sort()).toEqual(names.filter((n) => !reshaped.includes(n)).sort());
      // Parameters: d1 2·8+8, bn 8+8 (gamma, beta), d2 8·6+6, logits 6·2+2.
      expect(after.carried.totalParams).toBe(24 + 16 + 54 + 14);
      expect(after.carried.keptParams).toBe(24 + 16 + 2);
      expect(after.paramCount).toBe(after.carried.totalParams);
      const losses = await train(after, 5, 3);
      losses.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    });
  }

  it('resets optimizer slots when the optimizer type changes (Adam → AdamW, Adam → SGD), keeps them when only hyperparameters do', async () => {
    const backend = new CpuBackend();
    const adam = await Program.create(classifier(8), backend);
    await train(adam, 0, 3);
    const trained = await adam.snapshot();
    adam.dispose();

    const adamw = await Program.create(classifier(8, { type: 'adamw' }), backend, { carry: 'backend' });
    const w = await adamw.snapshot();
    expect(w.values.get('d1/kernel')).toEqual(trained.values.get('d1/kernel'));
    expect(w.values.get('d1/kernel:m')!.every((v) => v === 0)).toBe(true);
    expect(adamw.carried.initialised.filter((n) => !n.includes(':'))).toEqual([]);
    await train(adamw, 3, 2);
    const adamwState = await adamw.snapshot();
    adamw.dispose();

    const sgd = await Program.create(classifier(8, { type: 'sgd', momentum: 0.9 }), backend, { carry: 'backend' });
    expect(backend.variableNames().some((n) => n.endsWith(':m') || n.endsWith(':v'))).toBe(false);
    expect(sgd.carried.initialised.every((n) => n.endsWith(':velocity'))).toBe(true);
    await train(sgd, 5, 2);
    const velocity = (await sgd.snapshot()).values.get('d1/kernel:velocity')!;
    sgd.dispose();

    const sgd2 = await Program.create(classifier(8, { type: 'sgd', momentum: 0.5 }), backend, { carry: 'backend' });
    expect((await sgd2.snapshot()).values.get('d1/kernel:velocity')).toEqual(velocity);
    expect(sgd2.carried.initialised).toEqual([]);
    expect(adamwState.values.get('d1/kernel:m')!.some((v) => v !== 0)).toBe(true);
  });

  it('continues the step count it is given (schedule and bias correction read it)', async () => {
    const doc = classifier(8, { type: 'adam' });
    const scheduled = { ...doc, training: { ...doc.training, schedule: { type: 'step' as const, stepSize: 4, gamma: 0.5, warmupSteps: 0 } } };
    const backend = new CpuBackend();
    const first = await Program.create(scheduled, backend);
    await train(first, 0, 5);
    first.dispose();
    const next = await Program.create(scheduled, backend, { carry: 'backend' });
    next.stepCount = 5;
    expect(next.currentLearningRate).toBe(0.025);
    await next.run(batchAt(5));
    expect((await next.drain()).map((r) => [r.step, r.lr])).toEqual([[6, 0.025]]);
  });
});

/** f(w) = sum((w − t)²) from w = 1 on the float64 reference backend: gradient 2(w − t). */
function quadratic(optimizer: Record<string, unknown>, lr: number, target: number) {
  return makeDoc(
    [
      ['w', 'Parameter', { shape: [1], init: { kind: 'constant', value: 1 } }],
      ['t', 'Constant', { shape: [1], values: [target] }],
      ['loss', 'SumSquaresLoss'],
    ],
    ['w.y -> loss.pred', 't.y -> loss.target'],
    { optimizer, lr, batchSize: 1 },
  );
}

/** One coordinate of torch.optim's documented algorithms, in float64; `cfg` may change between steps. */
class TorchReference {
  w = 1;
  private state = { m: 0, v: 0, buf: 0, sq: 0, acc: 0 };
  step(cfg: OptimizerConfig, lr: number, t: number, grad: (w: number) => number): number {
    let g = grad(this.w);
    const s = this.state;
    if (cfg.type !== 'adamw' && cfg.weightDecay) g += cfg.weightDecay * this.w;
    switch (cfg.type) {
      case 'sgd':
        if (cfg.momentum) {
          s.buf = t === 1 ? g : cfg.momentum * s.buf + g;
          g = cfg.nesterov ? g + cfg.momentum * s.buf : s.buf;
        }
        this.w -= lr * g;
        break;
      case 'adam':
      case 'adamw': {
        if (cfg.type === 'adamw') this.w *= 1 - lr * cfg.weightDecay;
        s.m = cfg.beta1 * s.m + (1 - cfg.beta1) * g;
        s.v = cfg.beta2 * s.v + (1 - cfg.beta2) * g * g;
        const denom = Math.sqrt(s.v) / Math.sqrt(1 - cfg.beta2 ** t) + cfg.eps;
        this.w -= (lr / (1 - cfg.beta1 ** t)) * (s.m / denom);
        break;
      }
      case 'rmsprop': {
        s.sq = cfg.rho * s.sq + (1 - cfg.rho) * g * g;
        const u = g / (Math.sqrt(s.sq) + cfg.eps);
        s.buf = cfg.momentum ? cfg.momentum * s.buf + u : u;
        this.w -= lr * s.buf;
        break;
      }
      case 'adagrad':
        s.acc += g * g;
        this.w -= (lr * g) / (Math.sqrt(s.acc) + cfg.eps);
        break;
    }
    return this.w;
  }
}

describe('live optimizer hyperparameters', () => {
  const CASES: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['adam', { type: 'adam' }, { type: 'adam', beta1: 0.5, beta2: 0.9, eps: 1e-3 }],
    ['adamw', { type: 'adamw', weightDecay: 0.1 }, { type: 'adamw', beta1: 0.8, beta2: 0.99, eps: 1e-4, weightDecay: 0.3 }],
    ['sgd momentum', { type: 'sgd', momentum: 0.9, weightDecay: 0.01 }, { type: 'sgd', momentum: 0.5, weightDecay: 0.2 }],
    ['nesterov', { type: 'sgd', momentum: 0.9, nesterov: true }, { type: 'sgd', momentum: 0.3, nesterov: true }],
    ['rmsprop', { type: 'rmsprop', momentum: 0.5 }, { type: 'rmsprop', rho: 0.5, eps: 1e-2, momentum: 0.8 }],
    ['adagrad', { type: 'adagrad' }, { type: 'adagrad', eps: 1e-3 }],
  ];
  for (const [name, first, second] of CASES) {
    it(`${name}: a change after 3 steps (with the learning rate) follows PyTorch's formulas with the new values`, async () => {
      const doc = quadratic(first, 0.1, 3);
      const program = await Program.create(doc, new CpuBackend({ precision: 'f64' }));
      const ref = new TorchReference();
      const [a, b] = [OptimizerConfig.parse(first), OptimizerConfig.parse(second)];
      expect(canApplyLive(a, b)).toBe(true);
      for (let t = 1; t <= 6; t++) {
        if (t === 4) program.setLive({ optimizer: b, lr: 0.05 });
        await program.step({});
        const expected = ref.step(t < 4 ? a : b, t < 4 ? 0.1 : 0.05, t, (w) => 2 * (w - 3));
        const w = (await program.backend.readVariable('w/value'))[0]!;
        expect(Math.abs(w - expected), `step ${t}: ${w} vs ${expected}`).toBeLessThan(1e-12 * Math.max(1, Math.abs(expected)));
      }
    });
  }

  it('refuses what needs a recompile: another type, momentum or weight decay switched on or off, nesterov, the batch size', async () => {
    const p = (o: Record<string, unknown>) => OptimizerConfig.parse(o);
    expect(canApplyLive(p({ type: 'adam' }), p({ type: 'adamw' }))).toBe(false);
    expect(canApplyLive(p({ type: 'sgd' }), p({ type: 'sgd', momentum: 0.9 }))).toBe(false);
    expect(canApplyLive(p({ type: 'sgd', momentum: 0.9 }), p({ type: 'sgd', momentum: 0.9, nesterov: true }))).toBe(false);
    expect(canApplyLive(p({ type: 'adam' }), p({ type: 'adam', weightDecay: 0.1 }))).toBe(false);
    expect(canApplyLive(p({ type: 'adam', weightDecay: 0.2 }), p({ type: 'adam', weightDecay: 0.1 }))).toBe(true);
    const program = await Program.create(quadratic({ type: 'adam' }, 0.1, 3), new CpuBackend());
    expect(() => program.setOptimizerHyperparameters(p({ type: 'sgd' }))).toThrow(/without recompiling/);
    const doc = quadratic({ type: 'adam', beta1: 0.7 }, 0.2, 3);
    expect(program.applyTraining(doc.training)).toBe(true);
    expect(program.optimizer).toMatchObject({ beta1: 0.7 });
    expect(program.learningRate).toBe(0.2);
    expect(program.applyTraining({ ...doc.training, batchSize: 2 })).toBe(false);
    expect(program.applyTraining(quadratic({ type: 'sgd' }, 0.2, 3).training)).toBe(false);
  });
});

describe('SGD momentum', () => {
  // L1 loss |w − 10| from w = 0: the gradient is −1 at both steps. PyTorch: buf = −1, w = 0 − 1·(−1) = 1;
  // buf = 0.9·(−1) + (−1) = −1.9, w = 1 − 0.1·(−1.9) = 1.19 (Keras' v ← μv − lr·g would give 2.0).
  // Nesterov: w = 0 − 1·(−1 + 0.9·(−1)) = 1.9; then w = 1.9 − 0.1·(−1 + 0.9·(−1.9)) = 2.171.
  for (const [nesterov, expected] of [
    [false, [1, 1.19]],
    [true, [1.9, 2.171]],
  ] as const) {
    it(`follows PyTorch's form after a learning-rate change (lr 1 then 0.1${nesterov ? ', Nesterov' : ''})`, async () => {
      const doc = makeDoc(
        [
          ['w', 'Parameter', { shape: [1], init: { kind: 'zeros' } }],
          ['t', 'Constant', { shape: [1], values: [10] }],
          ['loss', 'L1Loss'],
        ],
        ['w.y -> loss.pred', 't.y -> loss.target'],
        { optimizer: { type: 'sgd', momentum: 0.9, nesterov }, lr: 1, batchSize: 1 },
      );
      const program = await Program.create(doc, new CpuBackend({ precision: 'f64' }));
      await program.step({});
      expect((await program.backend.readVariable('w/value'))[0]).toBeCloseTo(expected[0], 12);
      program.learningRate = 0.1;
      await program.step({});
      expect((await program.backend.readVariable('w/value'))[0]).toBeCloseTo(expected[1], 12);
    });
  }
});

describe('checkpoints', () => {
  it('round-trip exactly: 5 steps, snapshot, 5 more, restore, the same 5 again (Adam, BatchNorm, dropout)', async () => {
    const program = await Program.create(classifier(8), new CpuBackend());
    await train(program, 0, 5);
    const cp = await program.snapshot();
    expect(cp.step).toBe(5);
    expect(cp.values.has('d1/kernel:m')).toBe(true);
    expect(cp.values.has('bn/moving_variance')).toBe(true);
    expect(cp.bytes).toBe([...cp.values.values()].reduce((n, v) => n + v.byteLength, 0));
    const then = await train(program, 5, 5);
    await program.restore(cp);
    expect(program.stepCount).toBe(5);
    expect(await train(program, 5, 5)).toEqual(then);
  });

  it('restore into a hot-edited session sets only the variables whose name and shape match', async () => {
    const backend = new CpuBackend();
    const a = await Program.create(classifier(8), backend);
    await train(a, 0, 3);
    const cp = await a.snapshot();
    a.dispose();
    const b = await Program.create(classifier(6), backend);
    const untouched = (await b.snapshot()).values.get('d2/kernel');
    const restored = await b.restore(cp);
    expect(restored).toContain('d1/kernel');
    expect(restored).not.toContain('d2/kernel');
    const now = await b.snapshot();
    expect(now.values.get('d1/kernel:v')).toEqual(cp.values.get('d1/kernel:v'));
    expect(now.values.get('d2/kernel')).toEqual(untouched);
  });
});
