/** ONNX export of the raw ops (the lowercase node types): each the ONNX operator of the same meaning. */
import { DataType } from './proto';
import type { DType } from '../../ops/types';
import { attrInt, attrInts, binary, common, concat, ELEM, normAxis, unary, val, type Emitter, type Val } from './exportGraph';

/** A reduction over Wiregrad's axes (all when none are given); no axes at all is the identity. */
function reduce(opType: 'ReduceSum' | 'ReduceMean' | 'ReduceMax'): Emitter {
  return (c) => {
    const x = c.one('x');
    const rank = x.type.shape.length;
    const axes: number[] = (c.p.axes ?? x.type.shape.map((_d: number, i: number) => i)).map((a: number) => normAxis(a, rank));
    if (axes.length === 0) return val(c, c.g.op('Identity', [x.name]), x.layout);
    const keep = attrInt('keepdims', c.p.keepdims ? 1 : 0);
    const input = c.g.nhwc(x);
    // Opset 13 moved ReduceSum's axes to an input; ReduceMean and ReduceMax follow only in opset 18.
    const out =
      opType === 'ReduceSum'
        ? c.g.op(opType, [input, c.g.init(`${c.id}/axes`, [axes.length], 'i64', axes)], [keep])
        : c.g.op(opType, [input], [attrInts('axes', axes), keep]);
    return val(c, out, 'nhwc');
  };
}

export const OP_EMITTERS: Readonly<Record<string, Emitter>> = {
  matmul: (c) => {
    const swap = (v: Val) => {
      const r = v.type.shape.length;
      return c.g.op('Transpose', [c.g.nhwc(v)], [attrInts('perm', [...Array.from({ length: r - 2 }, (_d, i) => i), r - 1, r - 2])]);
    };
    const a = c.p.transA ? swap(c.one('a')) : c.g.nhwc(c.one('a'));
    const b = c.p.transB ? swap(c.one('b')) : c.g.nhwc(c.one('b'));
    return val(c, c.g.op('MatMul', [a, b]), 'nhwc');
  },
  add: binary('Add'),
  sub: binary('Sub'),
  mul: binary('Mul'),
  div: binary('Div'),
  pow: binary('Pow'),
  minimum: binary('Min'),
  maximum: binary('Max'),
  less: binary('Less'),
  greater: binary('Greater'),
  equal: binary('Equal'),
  neg: unary('Neg'),
  exp: unary('Exp'),
  log: unary('Log'),
  sqrt: unary('Sqrt'),
  abs: unary('Abs'),
  square: (c) => {
    const x = c.one('x');
    return val(c, c.g.op('Mul', [x.name, x.name]), x.layout);
  },
  stop_gradient: unary('Identity'),
  sum: reduce('ReduceSum'),
  mean: reduce('ReduceMean'),
  max: reduce('ReduceMax'),
  argmax: (c) => {
    const x = c.one('x');
    const i64 = c.g.op('ArgMax', [c.g.nhwc(x)], [attrInt('axis', normAxis(c.p.axis, x.type.shape.length)), attrInt('keepdims', 0)]);
    return val(c, c.g.op('Cast', [i64], [attrInt('to', DataType.INT32)]), 'nhwc');
  },
  reshape: (c) => {
    const shape = c.g.init(`${c.id}/shape`, [c.p.shape.length], 'i64', c.p.shape);
    // allowzero: a 0 in the shape is a zero-sized dimension, as in Wiregrad, not "copy this one".
    return val(c, c.g.op('Reshape', [c.g.nhwc(c.one('x')), shape], [attrInt('allowzero', 1)]), 'nhwc');
  },
  transpose: (c) => {
    const x = c.one('x');
    const r = x.type.shape.length;
    const perm: number[] = c.p.perm ?? Array.from({ length: r }, (_d, i) => r - 1 - i);
    return val(c, c.g.op('Transpose', [c.g.nhwc(x)], [attrInts('perm', perm)]), 'nhwc');
  },
  concat,
  slice: (c) => {
    const begin: number[] = c.p.begin;
    const axes = begin.map((_b, i) => i);
    const ends = begin.map((b, i) => b + c.out.shape[i]!);
    const inputs = [
      c.g.nhwc(c.one('x')),
      c.g.init(`${c.id}/starts`, [begin.length], 'i64', begin),
      c.g.init(`${c.id}/ends`, [ends.length], 'i64', ends),
      c.g.init(`${c.id}/axes`, [axes.length], 'i64', axes),
    ];
    return val(c, c.g.op('Slice', inputs), 'nhwc');
  },
  gather: (c) =>
    val(c, c.g.op('Gather', [c.g.nhwc(c.one('x')), c.g.nhwc(c.one('indices'))], [attrInt('axis', normAxis(c.p.axis, c.one('x').type.shape.length))]), 'nhwc'),
  one_hot: (c) => {
    const indices = c.g.op('Cast', [c.g.nhwc(c.one('x'))], [attrInt('to', DataType.INT64)]);
    const depth = c.g.init(`${c.id}/depth`, [1], 'i64', [c.p.depth]);
    const values = c.g.init(`${c.id}/values`, [2], c.out.dtype === 'i32' ? 'i32' : 'f32', [0, 1]);
    return val(c, c.g.op('OneHot', [indices, depth, values], [attrInt('axis', -1)]), 'nhwc');
  },
  where: (c) => {
    const { names, layout } = common(c, [c.one('condition'), c.one('a'), c.one('b')]);
    return val(c, c.g.op('Where', names), layout);
  },
  cast: (c) => {
    const x = c.one('x');
    return val(c, c.g.op('Cast', [x.name], [attrInt('to', ELEM[c.p.dtype as DType])]), x.layout);
  },
};
