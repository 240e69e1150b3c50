/**
 * Recurrent layers over a fixed sequence length, unrolled into primitive ops: RNN, LSTM and GRU with
 * PyTorch's equations, gate order and parameters, so weights map one-to-one to torch.nn.RNN/LSTM/GRU
 * (single layer, unidirectional, batch_first):
 *   weight_ih [G·H, F], weight_hh [G·H, H], bias_ih [G·H], bias_hh [G·H]
 * with G = 1 (RNN), 4 (LSTM: i, f, g, o) or 3 (GRU: r, z, n), all drawn from U(−1/√H, 1/√H) as torch does.
 *
 * The input projection x·W_ihᵀ + b_ih is one matmul over every time step; each step then adds
 * h·W_hhᵀ (+ b_hh) to its slice. The state starts at zero, so step 0 skips the recurrent matmul.
 */
import { z } from 'zod';
import type { OpBuilder } from '../../ops/builder';
import { ShapeError } from '../../ops/types';
import type { LowerContext, NodeSpec } from '../spec';
import { defineNode, int, one } from './common';

/** The three cells, by node type. */
export type RecurrentKind = 'RNN' | 'LSTM' | 'GRU';

/** Gates per cell: rows of weight_ih are G blocks of H. */
export const GATES: Readonly<Record<RecurrentKind, number>> = { RNN: 1, LSTM: 4, GRU: 3 };

/**
 * The most time steps a layer unrolls: each step adds about a dozen ops forward and twice that
 * backward, so longer sequences would make compiling (and the shape check on every edit) slow.
 */
export const MAX_RECURRENT_STEPS = 512;

const io = { inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] } as const;

/** The state after each step, from the step's input projection (x_t·W_ihᵀ + b_ih) and the previous state. */
interface Cell<T> {
  /** h (and for the LSTM c) after one step; `prev` is undefined at step 0 (a zero state). */
  step(xw: T, prev: { h: T; c?: T } | undefined): { h: T; c?: T };
}

function sequenceShape<T>(b: OpBuilder<T>, x: T, what: string): readonly [number, number, number] {
  const s = b.shape(x);
  if (s.length !== 3) throw new ShapeError(`${what} expects sequences [batch, time, features] but got [${s.join(', ')}]`);
  if (b.dtype(x) !== 'f32') throw new ShapeError(`${what} expects f32 features but got ${b.dtype(x)} (put an Embedding before it for token ids)`, 'dtype');
  return s as [number, number, number];
}

/**
 * The cell's parameters and the unrolled recurrence: y [B, T, H] of every step's h, or [B, H] of the
 * last one.
 */
export function lowerRecurrent<T>(
  ctx: LowerContext<T>,
  x: T,
  kind: RecurrentKind,
  p: { units: number; returnSequences: boolean; useBias: boolean; activation?: 'tanh' | 'relu' },
): T {
  const { b } = ctx;
  const [batch, time, features] = sequenceShape(b, x, kind);
  if (time > MAX_RECURRENT_STEPS) throw new ShapeError(`${kind} unrolls over at most ${MAX_RECURRENT_STEPS} time steps but the sequence has ${time}`);
  if (time < 1) throw new ShapeError(`${kind} needs at least one time step`);
  const h = p.units;
  const g = GATES[kind];
  const bound = 1 / Math.sqrt(h);
  const init = { kind: 'uniform', min: -bound, max: bound } as const;
  const param = (name: string, shape: number[]) => ctx.variable({ name, shape, init, trainable: true });
  const wIh = param('weight_ih', [g * h, features]);
  const wHh = param('weight_hh', [g * h, h]);
  const bIh = p.useBias ? param('bias_ih', [g * h]) : undefined;
  const bHh = p.useBias ? param('bias_hh', [g * h]) : undefined;

  // Every step's input projection at once: [B, T, G·H].
  let xw = b.matmul(x, wIh, false, true);
  if (bIh) xw = b.add(xw, bIh);
  /** Columns [from, from + width) of a [rows, G·H] value (rows is 1 for the step-0 bias). */
  const cols = (v: T, from: number, width: number) => b.slice(v, [0, from], [b.shape(v)[0]!, width]);
  const gate = (v: T, k: number) => cols(v, k * h, h);
  /** h·W_hhᵀ + b_hh, [B, G·H]; at step 0 (h = 0) just the bias. */
  const recurrent = (prev: T | undefined): T | undefined => {
    if (prev === undefined) return bHh && b.reshape(bHh, [1, g * h]);
    const hw = b.matmul(prev, wHh, false, true);
    return bHh ? b.add(hw, bHh) : hw;
  };
  const plus = (a: T, c: T | undefined) => (c === undefined ? a : b.add(a, c));

  const cells: Record<RecurrentKind, Cell<T>> = {
    RNN: {
      step: (xt, prev) => {
        const pre = plus(xt, recurrent(prev?.h));
        return { h: p.activation === 'relu' ? b.relu(pre) : b.tanh(pre) };
      },
    },
    LSTM: {
      step: (xt, prev) => {
        const gates = plus(xt, recurrent(prev?.h));
        const i = b.sigmoid(gate(gates, 0));
        const cand = b.tanh(gate(gates, 2));
        const o = b.sigmoid(gate(gates, 3));
        // c' = f ⊙ c + i ⊙ g; with c = 0 at step 0 the forget gate has nothing to act on.
        const c = prev?.c === undefined ? b.mul(i, cand) : b.add(b.mul(b.sigmoid(gate(gates, 1)), prev.c), b.mul(i, cand));
        return { h: b.mul(o, b.tanh(c)), c };
      },
    },
    GRU: {
      step: (xt, prev) => {
        const hw = recurrent(prev?.h);
        const rz = b.sigmoid(plus(cols(xt, 0, 2 * h), hw && cols(hw, 0, 2 * h)));
        const r = gate(rz, 0);
        const z = gate(rz, 1);
        // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)): b_hn stays inside the reset gate (PyTorch, cuDNN).
        const hn = hw && gate(hw, 2);
        const n = b.tanh(plus(gate(xt, 2), hn && b.mul(r, hn)));
        // h' = (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n)
        return { h: prev === undefined ? b.mul(b.oneMinus(z), n) : b.add(n, b.mul(z, b.sub(prev.h, n))) };
      },
    },
  };
  const cell = cells[kind];
  let state: { h: T; c?: T } | undefined;
  const outputs: T[] = [];
  for (let t = 0; t < time; t++) {
    const xt = b.reshape(b.slice(xw, [0, t, 0], [batch, 1, g * h]), [batch, g * h]);
    state = cell.step(xt, state);
    if (p.returnSequences) outputs.push(b.reshape(state.h, [batch, 1, h]));
  }
  return p.returnSequences ? b.concat(outputs, 1) : state!.h;
}

const common = {
  units: int(1).default(32),
  returnSequences: z.boolean().default(true),
  useBias: z.boolean().default(true),
};

export const RECURRENT_NODES: readonly NodeSpec[] = [
  defineNode({
    type: 'RNN',
    label: 'RNN',
    category: 'Sequence',
    ...io,
    description:
      "Simple recurrent layer over [batch, time, features]: h' = act(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh), as torch.nn.RNN; every step's h, or the last.",
    params: z.strictObject({ ...common, activation: z.enum(['tanh', 'relu']).default('tanh') }),
    lower: (ctx, inputs, p) => ({ y: lowerRecurrent(ctx, one(inputs, 'x'), 'RNN', p) }),
  }),
  defineNode({
    type: 'LSTM',
    label: 'LSTM',
    category: 'Sequence',
    ...io,
    description:
      "Long short-term memory over [batch, time, features] with PyTorch's gates (i, f, g, o) and weights, as torch.nn.LSTM; every step's h, or the last.",
    params: z.strictObject(common),
    lower: (ctx, inputs, p) => ({ y: lowerRecurrent(ctx, one(inputs, 'x'), 'LSTM', p) }),
  }),
  defineNode({
    type: 'GRU',
    label: 'GRU',
    category: 'Sequence',
    ...io,
    description: "Gated recurrent unit over [batch, time, features] with PyTorch's gates (r, z, n) and weights, as torch.nn.GRU; every step's h, or the last.",
    params: z.strictObject(common),
    lower: (ctx, inputs, p) => ({ y: lowerRecurrent(ctx, one(inputs, 'x'), 'GRU', p) }),
  }),
];
