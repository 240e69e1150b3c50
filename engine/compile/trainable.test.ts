/**
 * The Trainable switch on the CPU reference: a frozen layer's weights stay bit for bit, get no
 * gradient ops and no optimizer slots, and the rest of the net trains exactly as a float64
 * re-derivation (forward, backward and Adam with L2 weight decay written out by hand) says;
 * BatchNorm's running statistics keep updating (PyTorch); freezing mid-run is a hot edit that
 * keeps every weight.
 */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { classifyChange } from '../graph/change';
import type { GraphDocument } from '../graph/document';
import { inferShapes } from '../graph/infer';
import { makeDoc } from '../testing/docs';
import { seededRandom } from '../testing/random';
import { Program } from './program';

const IN = 3;
const HIDDEN = 4;
const OUT = 2;
const BATCH = 8;
const LR = 0.01;
const WD = 0.1;
const BETAS = [0.9, 0.999] as const;
const EPS = 1e-8;

/** x[3] → d1 Dense(4, tanh) → d2 Dense(2) → MSE, Adam with L2 weight decay; `frozen` nodes switched off. */
function tinyNet(frozen: readonly string[] = []): GraphDocument {
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [IN] }],
      ['y', 'Input', { field: 'y', shape: [OUT] }],
      ['d1', 'Dense', { units: HIDDEN, activation: 'tanh', biasInit: { kind: 'uniform', min: -0.5, max: 0.5 } }],
      ['d2', 'Dense', { units: OUT, biasInit: { kind: 'uniform', min: -0.5, max: 0.5 } }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d1.x', 'd1.y -> d2.x', 'd2.y -> loss.pred', 'y.y -> loss.target'],
    {
      dataset: { kind: 'random', inputShape: [IN], targetShape: [OUT], size: 64, seed: 1 },
      optimizer: { type: 'adam', weightDecay: WD },
      lr: LR,
      batchSize: BATCH,
      seed: 5,
    },
  );
  return freeze(doc, frozen);
}

const freeze = (doc: GraphDocument, ids: readonly string[], on = false): GraphDocument => ({
  ...doc,
  nodes: doc.nodes.map((n) => (ids.includes(n.id) ? { ...n, trainable: on } : n)),
});

function batches(count: number, seed = 9): { x: Float32Array; y: Float32Array }[] {
  const r = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    x: Float32Array.from({ length: BATCH * IN }, () => r.normal()),
    y: Float32Array.from({ length: BATCH * OUT }, () => r.normal()),
  }));
}

type Weights = Record<string, Float64Array>;

/** Loss gradients of the tiny net in float64, by variable name (written out, not taken from the engine). */
function referenceGradients(w: Weights, x: Float32Array, y: Float32Array): Weights {
  const k1 = w['d1/kernel']!,
    b1 = w['d1/bias']!,
    k2 = w['d2/kernel']!,
    b2 = w['d2/bias']!;
  const g: Weights = {
    'd1/kernel': new Float64Array(IN * HIDDEN),
    'd1/bias': new Float64Array(HIDDEN),
    'd2/kernel': new Float64Array(HIDDEN * OUT),
    'd2/bias': new Float64Array(OUT),
  };
  for (let s = 0; s < BATCH; s++) {
    const h = new Float64Array(HIDDEN);
    for (let j = 0; j < HIDDEN; j++) {
      let a = b1[j]!;
      for (let i = 0; i < IN; i++) a += x[s * IN + i]! * k1[i * HIDDEN + j]!;
      h[j] = Math.tanh(a);
    }
    const dh = new Float64Array(HIDDEN);
    for (let o = 0; o < OUT; o++) {
      let p = b2[o]!;
      for (let j = 0; j < HIDDEN; j++) p += h[j]! * k2[j * OUT + o]!;
      const dp = (2 * (p - y[s * OUT + o]!)) / (BATCH * OUT); // d mean((p − y)²) / dp
      g['d2/bias']![o]! += dp;
      for (let j = 0; j < HIDDEN; j++) {
        g['d2/kernel']![j * OUT + o]! += h[j]! * dp;
        dh[j]! += k2[j * OUT + o]! * dp;
      }
    }
    for (let j = 0; j < HIDDEN; j++) {
      const da = dh[j]! * (1 - h[j]! * h[j]!);
      g['d1/bias']![j]! += da;
      for (let i = 0; i < IN; i++) g['d1/kernel']![i * HIDDEN + j]! += x[s * IN + i]! * da;
    }
  }
  return g;
}

/** PyTorch's Adam (weight_decay: g += wd·p) in float64 over the variables not frozen. */
function referenceRun(initial: Record<string, Float32Array>, data: ReturnType<typeof batches>, frozen: readonly string[]): Weights {
  const w: Weights = Object.fromEntries(Object.entries(initial).map(([k, v]) => [k, Float64Array.from(v)]));
  const trained = Object.keys(w).filter((name) => !frozen.includes(name.split('/')[0]!));
  const m: Weights = Object.fromEntries(trained.map((k) => [k, new Float64Array(w[k]!.length)]));
  const v: Weights = Object.fromEntries(trained.map((k) => [k, new Float64Array(w[k]!.length)]));
  data.forEach(({ x, y }, step) => {
    const t = step + 1;
    const grads = referenceGradients(w, x, y);
    for (const name of trained) {
      const p = w[name]!,
        mm = m[name]!,
        vv = v[name]!,
        gr = grads[name]!;
      for (let i = 0; i < p.length; i++) {
        const gi = gr[i]! + WD * p[i]!;
        mm[i] = BETAS[0] * mm[i]! + (1 - BETAS[0]) * gi;
        vv[i] = BETAS[1] * vv[i]! + (1 - BETAS[1]) * gi * gi;
        const mHat = mm[i]! / (1 - BETAS[0] ** t);
        const vHat = vv[i]! / (1 - BETAS[1] ** t);
        p[i] = p[i]! - (LR * mHat) / (Math.sqrt(vHat) + EPS);
      }
    }
  });
  return w;
}

async function trainSteps(program: Program, data: ReturnType<typeof batches>): Promise<void> {
  for (const b of data) await program.step(b);
}

const slotNames = (names: Iterable<string>) => [...names].filter((n) => n.includes(':')).sort();

describe('a frozen layer (Trainable off)', () => {
  const data = batches(6);

  for (const frozen of [['d1'], ['d2'], []]) {
    it(`frozen ${frozen.join(', ') || 'nothing'}: frozen weights stay bit for bit, the rest follow a float64 re-derivation`, async () => {
      const program = await Program.create(tinyNet(frozen), new CpuBackend());
      const initial = await program.getWeights();
      await trainSteps(program, data);
      const after = await program.getWeights();
      const reference = referenceRun(initial, data, frozen);
      for (const [name, values] of Object.entries(after)) {
        if (frozen.includes(name.split('/')[0]!)) {
          expect(values, name).toEqual(initial[name]);
          continue;
        }
        expect(values, name).not.toEqual(initial[name]);
        const want = reference[name]!;
        for (let i = 0; i < values.length; i++) expect(Math.abs(values[i]! - want[i]!), `${name}[${i}]`).toBeLessThan(2e-6);
      }
    });
  }

  it('gets no optimizer slots, no gradient and (first layer) no backward op at all', async () => {
    const program = await Program.create(tinyNet(['d1']), new CpuBackend());
    await trainSteps(program, data.slice(0, 1));
    const snapshot = await program.snapshot();
    expect(slotNames(snapshot.values.keys())).toEqual(['d2/bias:m', 'd2/bias:v', 'd2/kernel:m', 'd2/kernel:v']);
    expect(slotNames(program.backend.variableNames())).toEqual(['d2/bias:m', 'd2/bias:v', 'd2/kernel:m', 'd2/kernel:v']);
    expect(Object.keys(await program.readGradients()).sort()).toEqual(['d2/bias', 'd2/kernel']);
    const ops = program.opGraph();
    expect(ops.filter((o) => o.phase === 'backward' && o.origin === 'd1')).toEqual([]);
    expect(ops.filter((o) => o.phase === 'backward' && o.origin === 'd2').length).toBeGreaterThan(0);
    // The unfrozen program differentiates d1 too: the frozen one is smaller.
    const full = await Program.create(tinyNet(), new CpuBackend());
    expect(full.opGraph().filter((o) => o.phase === 'backward' && o.origin === 'd1').length).toBeGreaterThan(0);
    expect(slotNames((await full.snapshot()).values.keys())).toHaveLength(8);
  });

  it('counts trainable and frozen parameters apart (session and shape inference)', async () => {
    const program = await Program.create(tinyNet(['d1']), new CpuBackend());
    const d1 = IN * HIDDEN + HIDDEN;
    const d2 = HIDDEN * OUT + OUT;
    expect([program.paramCount, program.frozenParamCount]).toEqual([d2, d1]);
    expect(
      program.variables
        .filter((v) => v.frozen)
        .map((v) => v.name)
        .sort(),
    ).toEqual(['d1/bias', 'd1/kernel']);
    const info = inferShapes(tinyNet(['d1'])).nodes;
    expect([info.get('d1')!.paramCount, info.get('d1')!.frozenParamCount]).toEqual([0, d1]);
    expect([info.get('d2')!.paramCount, info.get('d2')!.frozenParamCount]).toEqual([d2, 0]);
  });

  it('a frozen BatchNorm keeps gamma and beta but updates its running statistics in training (PyTorch)', async () => {
    const doc = (frozen: readonly string[]) =>
      freeze(
        makeDoc(
          [
            ['x', 'Input', { field: 'x', shape: [IN] }],
            ['y', 'Input', { field: 'y', shape: [OUT] }],
            ['d1', 'Dense', { units: HIDDEN }],
            ['bn', 'BatchNorm'],
            ['d2', 'Dense', { units: OUT }],
            ['loss', 'MSELoss'],
          ],
          ['x.y -> d1.x', 'd1.y -> bn.x', 'bn.y -> d2.x', 'd2.y -> loss.pred', 'y.y -> loss.target'],
          {
            dataset: { kind: 'random', inputShape: [IN], targetShape: [OUT], size: 64, seed: 1 },
            optimizer: { type: 'sgd' },
            lr: 0.1,
            batchSize: BATCH,
            seed: 5,
          },
        ),
        frozen,
      );
    const frozen = await Program.create(doc(['bn']), new CpuBackend());
    const before = await frozen.getWeights();
    await trainSteps(frozen, data.slice(0, 1));
    const after = await frozen.getWeights();
    expect(after['bn/gamma']).toEqual(before['bn/gamma']);
    expect(after['bn/beta']).toEqual(before['bn/beta']);
    expect(after['bn/moving_mean']).not.toEqual(before['bn/moving_mean']);
    // After one step the forward pass is the unfrozen run's, so the running statistics agree exactly.
    const free = await Program.create(doc([]), new CpuBackend());
    await trainSteps(free, data.slice(0, 1));
    const freeAfter = await free.getWeights();
    expect(after['bn/moving_mean']).toEqual(freeAfter['bn/moving_mean']);
    expect(after['bn/moving_variance']).toEqual(freeAfter['bn/moving_variance']);
    expect(freeAfter['bn/gamma']).not.toEqual(before['bn/gamma']);
  });
});

describe('switching Trainable during a run', () => {
  it('is a hot edit that keeps every weight: frozen from then on, training again after thawing', async () => {
    const change = classifyChange(tinyNet(), tinyNet(['d1']));
    expect(change).toEqual({ kind: 'hot', reasons: ['node d1 frozen'] });
    expect(classifyChange(tinyNet(['d1']), tinyNet())).toEqual({ kind: 'hot', reasons: ['node d1 trainable again'] });

    const backend = new CpuBackend();
    const data = batches(9, 4);
    const first = await Program.create(tinyNet(), backend);
    await trainSteps(first, data.slice(0, 3));
    const at3 = await first.snapshot();

    const frozen = await Program.create(tinyNet(['d1']), backend, { carry: first });
    first.dispose();
    frozen.stepCount = 3;
    expect(frozen.carried.initialised).toEqual([]);
    for (const name of ['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias', 'd2/kernel:m'])
      expect(await frozen.backend.readVariable(name), name).toEqual(at3.values.get(name));
    expect(backend.hasVariable('d1/kernel:m')).toBe(false);
    await trainSteps(frozen, data.slice(3, 6));
    const at6 = await frozen.getWeights();
    expect(at6['d1/kernel']).toEqual(at3.values.get('d1/kernel'));
    expect(at6['d2/kernel']).not.toEqual(at3.values.get('d2/kernel'));

    const thawed = await Program.create(tinyNet(), backend, { carry: frozen });
    frozen.dispose();
    expect(thawed.carried.initialised.sort()).toEqual(['d1/bias:m', 'd1/bias:v', 'd1/kernel:m', 'd1/kernel:v']);
    await trainSteps(thawed, data.slice(6, 9));
    expect((await thawed.getWeights())['d1/kernel']).not.toEqual(at6['d1/kernel']);
  });
});
