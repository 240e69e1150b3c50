import { describe, expect, it } from 'vitest';
import { inferOp, OP_DEFS } from './defs';
import { OPS, ShapeError, type TensorType } from './types';

const f = (...shape: number[]): TensorType => ({ shape, dtype: 'f32' });
const i = (...shape: number[]): TensorType => ({ shape, dtype: 'i32' });
const b = (...shape: number[]): TensorType => ({ shape, dtype: 'bool' });

describe('op table', () => {
  it('has rules for exactly the ops in OPS', () => {
    expect(Object.keys(OP_DEFS).sort()).toEqual([...OPS].sort());
  });
});

describe('shape rules', () => {
  it('broadcast with NumPy rules', () => {
    expect(inferOp('add', [f(3, 1), f(1, 4)], {})).toEqual(f(3, 4));
    expect(inferOp('mul', [f(2, 3, 4), f(4)], {})).toEqual(f(2, 3, 4));
    expect(inferOp('sub', [f(), f(5)], {})).toEqual(f(5));
    expect(inferOp('less', [f(2, 1), f(3)], {})).toEqual(b(2, 3));
    expect(() => inferOp('add', [f(2, 3), f(4)], {})).toThrow(/\[2, 3\] and \[4\] cannot be broadcast/);
  });

  it('check dtypes', () => {
    expect(() => inferOp('add', [f(2), i(2)], {})).toThrow(ShapeError);
    expect(() => inferOp('exp', [i(2)], {})).toThrow(/expects f32/);
    expect(() => inferOp('where', [f(2), f(2), f(2)], {})).toThrow(/condition expects bool/);
    expect(inferOp('where', [b(2, 1), f(3), f()], {})).toEqual(f(2, 3));
    expect(() => inferOp('gather', [f(3), f(2)], { axis: 0 })).toThrow(/indices expects i32/);
  });

  it('matmul: batched, transposed, with clear errors', () => {
    expect(inferOp('matmul', [f(128, 784), f(784, 256)], { transA: false, transB: false })).toEqual(f(128, 256));
    expect(inferOp('matmul', [f(128, 784), f(128, 256)], { transA: true, transB: false })).toEqual(f(784, 256));
    expect(inferOp('matmul', [f(128, 256), f(784, 256)], { transA: false, transB: true })).toEqual(f(128, 784));
    expect(inferOp('matmul', [f(2, 1, 3, 4), f(5, 4, 6)], { transA: false, transB: false })).toEqual(f(2, 5, 3, 6));
    expect(() => inferOp('matmul', [f(3, 4), f(5, 6)], { transA: false, transB: false })).toThrow(/inner dimensions differ.*4 vs 5/);
    expect(() => inferOp('matmul', [f(4), f(4, 2)], { transA: false, transB: false })).toThrow(/rank >= 2/);
  });

  it('reductions with negative and repeated axes, keepdims', () => {
    expect(inferOp('sum', [f(2, 3, 4)], { axes: [-1, 0, 2], keepdims: false })).toEqual(f(3));
    expect(inferOp('mean', [f(2, 3)], { axes: [1], keepdims: true })).toEqual(f(2, 1));
    expect(inferOp('argmax', [f(2, 3)], { axis: -1 })).toEqual(i(2));
    expect(() => inferOp('max', [f(2, 3)], { axes: [2], keepdims: false })).toThrow(/axis 2 is out of range/);
  });

  it('data movement', () => {
    expect(inferOp('reshape', [f(2, 6)], { shape: [3, -1] })).toEqual(f(3, 4));
    expect(() => inferOp('reshape', [f(2, 6)], { shape: [5, -1] })).toThrow(/cannot reshape/);
    expect(() => inferOp('reshape', [f(2, 6)], { shape: [-1, -1] })).toThrow(/more than one -1/);
    expect(inferOp('transpose', [f(2, 3, 4)], { perm: [2, 0, 1] })).toEqual(f(4, 2, 3));
    expect(() => inferOp('transpose', [f(2, 3)], { perm: [0, 0] })).toThrow(/not a permutation/);
    expect(inferOp('concat', [f(2, 1), f(2, 3)], { axis: 1 })).toEqual(f(2, 4));
    expect(() => inferOp('concat', [f(2, 1), f(3, 3)], { axis: 1 })).toThrow(/does not match/);
    expect(inferOp('slice', [f(4, 5)], { begin: [1, 2], size: [2, -1] })).toEqual(f(2, 3));
    expect(() => inferOp('slice', [f(4, 5)], { begin: [3, 0], size: [2, 1] })).toThrow(/outside dim 0/);
    expect(
      inferOp('pad', [f(2, 3)], {
        pads: [
          [1, 0],
          [2, 1],
        ],
      }),
    ).toEqual(f(3, 6));
    expect(inferOp('gather', [f(5, 3), i(2, 2)], { axis: 0 })).toEqual(f(2, 2, 3));
    expect(inferOp('one_hot', [i(4)], { depth: 10 })).toEqual(f(4, 10));
    expect(() => inferOp('broadcast_to', [f(3, 2)], { shape: [3, 4] })).toThrow(/cannot be broadcast/);
  });

  it('conv2d and pools (NHWC, HWIO)', () => {
    const conv = { stride: [1, 1], padding: [0, 0, 0, 0], dilation: [1, 1], groups: 1 } as const;
    expect(inferOp('conv2d', [f(8, 28, 28, 1), f(5, 5, 1, 6)], conv)).toEqual(f(8, 24, 24, 6));
    expect(inferOp('conv2d', [f(1, 7, 7, 4), f(3, 3, 2, 6)], { ...conv, stride: [2, 2], padding: [1, 1, 1, 1], groups: 2 })).toEqual(f(1, 4, 4, 6));
    expect(inferOp('conv2d', [f(1, 9, 9, 1), f(3, 3, 1, 1)], { ...conv, dilation: [2, 2] })).toEqual(f(1, 5, 5, 1));
    expect(() => inferOp('conv2d', [f(1, 7, 7, 3), f(3, 3, 2, 6)], conv)).toThrow(/expects 2 input channels but the input has 3/);
    expect(() => inferOp('conv2d', [f(1, 7, 7, 4), f(3, 3, 2, 5)], { ...conv, groups: 2 })).toThrow(/groups=2 must divide/);
    expect(() => inferOp('conv2d', [f(1, 2, 2, 1), f(3, 3, 1, 1)], conv)).toThrow(/does not fit/);
    expect(() => inferOp('conv2d', [f(28, 28), f(3, 3, 1, 1)], conv)).toThrow(/rank-4/);
    const pool = { size: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0] } as const;
    expect(inferOp('max_pool2d', [f(8, 28, 28, 6)], pool)).toEqual(f(8, 14, 14, 6));
    expect(inferOp('avg_pool2d', [f(8, 5, 5, 6)], { ...pool, padding: [0, 1, 0, 1] })).toEqual(f(8, 3, 3, 6));
    expect(() => inferOp('avg_pool2d', [f(8, 5, 5, 6)], { ...pool, padding: [2, 0, 0, 0] })).toThrow(/smaller than the 2x2 window/);
    expect(() => inferOp('max_pool2d', [f(8, 5, 5, 6)], { ...pool, stride: [0, 2] })).toThrow(/stride must be two integers/);
    expect(() => inferOp('conv2d', [f(1, 7, 7, 4), f(3, 3, 4, 6)], { ...conv, dilation: [0, 1] })).toThrow(/dilation must be two integers/);
  });

  it('arity is checked', () => {
    expect(() => inferOp('add', [f(2)], {})).toThrow(/takes 2 inputs but got 1/);
    expect(() => inferOp('concat', [], { axis: 0 })).toThrow(/one or more/);
  });
});
