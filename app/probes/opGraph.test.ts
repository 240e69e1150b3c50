import { describe, expect, it } from 'vitest';
import type { OpView } from '../../engine/compile/program';
import { makeDoc } from '../../engine/testing/docs';
import { backwardOf, expandNode, forwardOps } from './opGraph';

const doc = makeDoc(
  [
    ['x', 'Input', { field: 'x', shape: [3] }],
    ['d', 'Dense', { units: 4, activation: 'relu' }],
    ['y', 'Input', { field: 'y', shape: [4] }],
    ['loss', 'MSELoss'],
  ],
  ['x.y -> d.x', 'd.y -> loss.pred', 'y.y -> loss.target'],
  { batchSize: 8 },
);

describe('op views', () => {
  it('lowers a Dense node to matmul, bias add and relu, reading x and its two parameters', () => {
    const boxes = expandNode(doc, 'd', (id) => id.toUpperCase());
    const ops = boxes.filter((b) => b.phase === 'forward');
    expect(ops.map((b) => b.label)).toEqual(expect.arrayContaining(['matmul', 'add']));
    expect(ops.some((b) => /relu|max/.test(b.label))).toBe(true);
    expect(ops.find((b) => b.label === 'matmul')!.shape).toEqual([8, 4]);
    const leaves = boxes.filter((b) => b.phase === 'leaf');
    expect(leaves.map((b) => b.label).sort()).toEqual(['d/bias', 'd/kernel', 'x']);
    expect(leaves.find((b) => b.label === 'x')!.detail).toBe('from X');
    // matmul reads leaves only: column 1; the ops after it sit further right.
    expect(ops.find((b) => b.label === 'matmul')!.column).toBe(1);
    expect(Math.max(...ops.map((b) => b.column))).toBeGreaterThan(1);
    expect(forwardOps(doc).every((o) => o.inputs.every((i) => i < o.id))).toBe(true);
  });

  it('picks the backward ops of a selection, with forward values as leaves', () => {
    const ops: OpView[] = [
      { id: 0, label: 'x', kind: 'input', origin: 'x', inputs: [], shape: [2], phase: 'forward' },
      { id: 1, label: 'd/kernel', kind: 'variable', origin: 'd', inputs: [], shape: [2, 2], phase: 'forward' },
      { id: 2, label: 'matmul', kind: 'op', origin: 'd', inputs: [0, 1], shape: [2], phase: 'forward' },
      { id: 3, label: 'ones', kind: 'op', origin: undefined, inputs: [], shape: [2], phase: 'backward' },
      { id: 4, label: 'matmul', kind: 'op', origin: 'd', inputs: [0, 3], shape: [2, 2], phase: 'backward' },
      { id: 5, label: 'mul', kind: 'op', origin: 'other', inputs: [3], shape: [2], phase: 'backward' },
      { id: 6, label: 'sub', kind: 'op', origin: undefined, inputs: [1, 4], shape: [2, 2], phase: 'update' },
    ];
    const boxes = backwardOf(ops, ['d'], (id) => `node ${id}`);
    expect(boxes.filter((b) => b.phase === 'backward').map((b) => b.id)).toEqual([4]);
    expect(boxes.filter((b) => b.phase === 'leaf').map((b) => [b.id, b.detail])).toEqual([
      [0, 'forward, node x'],
      [3, 'gradient from loss'],
    ]);
    expect(boxes.find((b) => b.id === 4)!.inputs).toEqual([0, 3]);
  });
});
