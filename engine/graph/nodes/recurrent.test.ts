/**
 * RNN, LSTM, GRU, Conv1D and GlobalAveragePool1D: gradients of every input and parameter against
 * float64 central finite differences (the layer lowered onto the float64 CPU backend), Conv1D's
 * forward pass against a direct loop, parameter counts as the editor shows them, and errors that
 * name the node. (PyTorch fidelity: recurrent.torch.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { ValueId } from '../../compile/graph';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { OpBuilder } from '../../ops/builder';
import { gradcheck, type GradcheckInput } from '../../testing/gradcheck';
import { makeDoc } from '../../testing/docs';
import { inferShapes } from '../infer';
import type { LowerContext } from '../spec';
import { getNodeSpec } from './index';
import { GATES, MAX_RECURRENT_STEPS, type RecurrentKind } from './recurrent';
import { timePadding } from './conv1d';

/**
 * Lower node `type` with `params` on x = xs[0]; its variables, in the order the layer asks for
 * them, are xs[1..] (so gradcheck differentiates them too).
 */
function lowerOn(type: string, params: Record<string, unknown>, b: OpBuilder<ValueId>, xs: ValueId[]): ValueId {
  const spec = getNodeSpec(type)!;
  let next = 1;
  const ctx: LowerContext<ValueId> = {
    b,
    training: true,
    input: () => {
      throw new Error('no inputs here');
    },
    variable: (req) => {
      const v = xs[next++];
      if (v === undefined) throw new Error(`no value for variable ${req.name}`);
      expect(b.shape(v), req.name).toEqual(req.shape);
      return v;
    },
    assign: () => {
      throw new Error('no assigns here');
    },
    counter: () => {
      throw new Error('no counter here');
    },
    seed: () => 1,
  };
  const out = spec.lower(ctx, { x: xs[0]! }, spec.params.parse(params)).y!;
  expect(next, 'every variable used').toBe(xs.length);
  return out;
}

/** Random values in [-scale, scale), seeded. */
function values(n: number, seed: number, scale = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}

function recurrentInputs(kind: RecurrentKind, [batch, time, features]: number[], units: number, useBias: boolean): GradcheckInput[] {
  const g = GATES[kind];
  const shapes = [[batch!, time!, features!], [g * units, features!], [g * units, units], ...(useBias ? [[g * units], [g * units]] : [])];
  return shapes.map((shape, i) => ({
    shape,
    values: values(
      shape.reduce((a, d) => a * d, 1),
      7 + i,
      i === 0 ? 1.5 : 0.8,
    ),
  }));
}

describe('recurrent layers: gradients of the input and every weight match float64 finite differences', () => {
  const cases: [RecurrentKind, Record<string, unknown>][] = [
    ['RNN', { activation: 'tanh' }],
    ['RNN', { activation: 'relu' }],
    ['LSTM', {}],
    ['GRU', {}],
  ];
  for (const [kind, extra] of cases) {
    for (const returnSequences of [true, false]) {
      for (const useBias of [true, false]) {
        it(`${kind} ${JSON.stringify(extra)} returnSequences=${returnSequences} useBias=${useBias}`, async () => {
          const units = 3;
          const params = { units, returnSequences, useBias, ...extra };
          const { maxError, analytic } = await gradcheck(recurrentInputs(kind, [2, 4, 3], units, useBias), (b, xs) => lowerOn(kind, params, b, xs));
          expect(maxError).toBeLessThan(1e-6);
          // Every input and weight gets some gradient (nothing is silently disconnected).
          analytic.forEach((a, i) =>
            expect(
              a.some((v) => Math.abs(v) > 1e-4),
              `input ${i}`,
            ).toBe(true),
          );
        });
      }
    }
  }

  it("the output is every step's state [B, T, H], or the last one [B, H]; the last step of the sequence equals the last state", async () => {
    const inputs = recurrentInputs('LSTM', [2, 5, 3], 4, true);
    const seq = await gradcheck(inputs, (b, xs) => b.slice(lowerOn('LSTM', { units: 4 }, b, xs), [0, 4, 0], [2, 1, 4]));
    const last = await gradcheck(inputs, (b, xs) => b.reshape(lowerOn('LSTM', { units: 4, returnSequences: false }, b, xs), [2, 1, 4]));
    // Same function, so the same gradients (gradcheck's random weights depend only on the output shape).
    seq.analytic.forEach((a, i) => a.forEach((v, j) => expect(v).toBeCloseTo(last.analytic[i]![j]!, 12)));
  });
});

describe('Conv1D and GlobalAveragePool1D', () => {
  const convCases: Record<string, unknown>[] = [
    { filters: 3, kernelSize: 3, padding: 'same' },
    { filters: 2, kernelSize: 2, strides: 2, padding: 'same', activation: 'tanh' },
    { filters: 4, kernelSize: 3, dilation: 2, groups: 2, padding: 'valid' },
  ];
  for (const params of convCases) {
    it(`Conv1D ${JSON.stringify(params)}: gradients match finite differences`, async () => {
      const [batch, time, cin] = [2, 7, 4];
      const p = getNodeSpec('Conv1D')!.params.parse(params) as { filters: number; kernelSize: number; groups: number };
      const inputs: GradcheckInput[] = [
        { shape: [batch, time, cin], values: values(batch * time * cin, 3) },
        { shape: [p.kernelSize, cin / p.groups, p.filters], values: values(p.kernelSize * (cin / p.groups) * p.filters, 4) },
        { shape: [p.filters], values: values(p.filters, 5) },
      ];
      const { maxError, analytic } = await gradcheck(inputs, (b, xs) => lowerOn('Conv1D', params, b, xs));
      expect(maxError).toBeLessThan(1e-6);
      analytic.forEach((a, i) =>
        expect(
          a.some((v) => Math.abs(v) > 1e-4),
          `input ${i}`,
        ).toBe(true),
      );
    });
  }

  it("Conv1D equals a direct loop (stride 2, TensorFlow's same padding with the odd step after, dilation, groups)", async () => {
    const [batch, time, cin, filters, k, stride, dilation, groups] = [2, 9, 4, 6, 3, 2, 2, 2];
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [time, cin] }],
        ['conv', 'Conv1D', { filters, kernelSize: k, strides: stride, dilation, groups, padding: 'same' }],
        ['t', 'Input', { field: 't', shape: [5, filters] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> conv.x', 'conv.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: batch },
    );
    const program = await Program.create(doc, new CpuBackend());
    const kernel = Float32Array.from(values(k * (cin / groups) * filters, 9));
    const bias = Float32Array.from(values(filters, 10));
    program.setWeights({ 'conv/kernel': kernel, 'conv/bias': bias });
    const x = Float32Array.from(values(batch * time * cin, 11));
    const y = (await program.forward({ x })).get('conv')!.y!;
    const tOut = Math.ceil(time / stride);
    expect(y.shape).toEqual([batch, tOut, filters]);
    const [left] = timePadding('same', time, k, stride, dilation);
    const cig = cin / groups;
    const fog = filters / groups;
    for (let n = 0; n < batch; n++)
      for (let t = 0; t < tOut; t++)
        for (let f = 0; f < filters; f++) {
          let want = bias[f]!;
          const grp = Math.floor(f / fog);
          for (let j = 0; j < k; j++) {
            const at = t * stride + j * dilation - left;
            if (at < 0 || at >= time) continue;
            for (let c = 0; c < cig; c++) want += x[(n * time + at) * cin + grp * cig + c]! * kernel[(j * cig + c) * filters + f]!;
          }
          expect(y.data[(n * tOut + t) * filters + f]).toBeCloseTo(want, 5);
        }
    program.dispose();
  });

  it('GlobalAveragePool1D averages over time; its gradient spreads evenly', async () => {
    const { maxError, analytic } = await gradcheck([{ shape: [2, 5, 3] }], (b, xs) => lowerOn('GlobalAveragePool1D', {}, b, xs));
    expect(maxError).toBeLessThan(1e-6);
    // d mean / d x = r / T, the same at every time step of a channel.
    const g = analytic[0]!;
    for (let t = 1; t < 5; t++) expect(g[t * 3 + 1]).toBeCloseTo(g[1]!, 12);
  });
});

describe('the fused schedule on a long recurrence', () => {
  it("an LSTM over 12 steps trains the same with the shared fused plan as op by op (weight_hh's gradient sums 11 matmuls whose epilogue chains must not overlap)", async () => {
    const T = 12;
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [T, 3] }],
        ['lstm', 'LSTM', { units: 4 }],
        ['gru', 'GRU', { units: 3, returnSequences: false }],
        ['t', 'Input', { field: 't', shape: [3] }],
        ['loss', 'MSELoss'],
      ],
      ['x.y -> lstm.x', 'lstm.y -> gru.x', 'gru.y -> loss.pred', 't.y -> loss.target'],
      { batchSize: 2, optimizer: { type: 'sgd' }, lr: 0.1, seed: 2 },
    );
    const x = Float32Array.from(values(2 * T * 3, 21, 1.5));
    const t = Float32Array.from(values(2 * 3, 22));
    const run = async (fused: boolean) => {
      const program = await Program.create(doc, new CpuBackend({ fused }));
      const loss = await program.step({ x, t });
      const grads = await program.readGradients();
      program.dispose();
      return { loss, grads };
    };
    const [plain, fused] = [await run(false), await run(true)];
    expect(fused.loss).toBeCloseTo(plain.loss, 6);
    for (const [name, g] of Object.entries(plain.grads)) {
      const other = fused.grads[name]!;
      g.forEach((v, i) => expect(other[i], `${name}[${i}]`).toBeCloseTo(v, 5));
    }
  });
});

describe('parameter counts and errors as the editor sees them', () => {
  const seqDoc = (layer: [string, string, Record<string, unknown>], shape = [6, 5]) =>
    makeDoc([['x', 'Input', { field: 'x', shape }], layer, ['pool', 'GlobalAveragePool1D']], [`x.y -> ${layer[0]}.x`, `${layer[0]}.y -> pool.x`], {
      batchSize: 2,
    });

  it.each([
    ['LSTM', 4],
    ['GRU', 3],
    ['RNN', 1],
  ] as const)('%s with F inputs and H units holds G·H·(F + H) + 2·G·H parameters, as torch.nn does', (kind, g) => {
    const [f, h] = [5, 7];
    const info = inferShapes(seqDoc(['r', kind, { units: h }])).nodes.get('r')!;
    expect(info.paramCount).toBe(g * h * (f + h) + 2 * g * h);
    expect(info.outputs.y!.shape).toEqual([2, 6, h]);
    const noBias = inferShapes(seqDoc(['r', kind, { units: h, useBias: false, returnSequences: false }])).nodes.get('r')!;
    expect(noBias.paramCount).toBe(g * h * (f + h));
    expect(noBias.outputs.y!.shape).toEqual([2, h]);
  });

  it('Conv1D holds k·C/groups·filters + filters parameters; valid padding shortens the sequence', () => {
    const info = inferShapes(seqDoc(['c', 'Conv1D', { filters: 8, kernelSize: 3, groups: 1 }])).nodes.get('c')!;
    expect(info.paramCount).toBe(3 * 5 * 8 + 8);
    expect(info.outputs.y!.shape).toEqual([2, 4, 8]);
  });

  it.each(['LSTM', 'GRU', 'RNN', 'Conv1D', 'GlobalAveragePool1D'])('%s on a rank-2 input is an error naming the node', (type) => {
    const { errors } = inferShapes(seqDoc(['layer', type, {}], [5]));
    expect(errors).toEqual([
      expect.objectContaining({ node: 'layer', message: expect.stringMatching(/expects sequences \[batch, time, (features|channels)\] but got \[2, 5\]/) }),
    ]);
  });

  it('an LSTM on token ids (i32) asks for an Embedding first', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [6], dtype: 'i32' }],
        ['r', 'Reshape', { targetShape: [6, 1] }],
        ['lstm', 'LSTM', {}],
      ],
      ['x.y -> r.x', 'r.y -> lstm.x'],
      { batchSize: 2 },
    );
    expect(inferShapes(doc).errors).toEqual([expect.objectContaining({ node: 'lstm', code: 'dtype', message: expect.stringMatching(/Embedding/) })]);
  });

  it(`a sequence longer than ${MAX_RECURRENT_STEPS} steps is refused, naming the node`, () => {
    const { errors } = inferShapes(seqDoc(['gru', 'GRU', { units: 2 }], [MAX_RECURRENT_STEPS + 1, 2]));
    expect(errors).toEqual([
      expect.objectContaining({
        node: 'gru',
        message: expect.stringMatching(new RegExp(`at most ${MAX_RECURRENT_STEPS} time steps but the sequence has ${MAX_RECURRENT_STEPS + 1}`)),
      }),
    ]);
  });
});
