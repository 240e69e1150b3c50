import { broadcastShapes, sameShape } from './shape';
import type { Attrs, ConvAttrs, DType, Op, Shape, TensorType, Window2D } from './types';

/**
 * Anything that can record or run ops: the static graph (values are node ids) and the eager API
 * (values are tensors) both implement this, so gradient rules and layers are written once.
 */
export interface Emitter<T> {
  emit<O extends Op>(op: O, inputs: readonly T[], attrs: Attrs<O>): T;
  typeOf(value: T): TensorType;
}

const none = {} as Record<string, never>;

/** Named helpers over an Emitter: `b.mul(x, y)` instead of `emit('mul', [x, y], {})`. */
export class OpBuilder<T> {
  constructor(readonly emitter: Emitter<T>) {}

  emit<O extends Op>(op: O, inputs: readonly T[], attrs: Attrs<O>): T {
    return this.emitter.emit(op, inputs, attrs);
  }
  shape(x: T): Shape {
    return this.emitter.typeOf(x).shape;
  }
  dtype(x: T): DType {
    return this.emitter.typeOf(x).dtype;
  }

  add(a: T, b: T): T {
    return this.emit('add', [a, b], none);
  }
  sub(a: T, b: T): T {
    return this.emit('sub', [a, b], none);
  }
  mul(a: T, b: T): T {
    return this.emit('mul', [a, b], none);
  }
  div(a: T, b: T): T {
    return this.emit('div', [a, b], none);
  }
  pow(a: T, b: T): T {
    return this.emit('pow', [a, b], none);
  }
  minimum(a: T, b: T): T {
    return this.emit('minimum', [a, b], none);
  }
  maximum(a: T, b: T): T {
    return this.emit('maximum', [a, b], none);
  }
  less(a: T, b: T): T {
    return this.emit('less', [a, b], none);
  }
  lessEqual(a: T, b: T): T {
    return this.emit('less_equal', [a, b], none);
  }
  greater(a: T, b: T): T {
    return this.emit('greater', [a, b], none);
  }
  greaterEqual(a: T, b: T): T {
    return this.emit('greater_equal', [a, b], none);
  }
  equal(a: T, b: T): T {
    return this.emit('equal', [a, b], none);
  }
  notEqual(a: T, b: T): T {
    return this.emit('not_equal', [a, b], none);
  }
  neg(x: T): T {
    return this.emit('neg', [x], none);
  }
  exp(x: T): T {
    return this.emit('exp', [x], none);
  }
  log(x: T): T {
    return this.emit('log', [x], none);
  }
  sqrt(x: T): T {
    return this.emit('sqrt', [x], none);
  }
  abs(x: T): T {
    return this.emit('abs', [x], none);
  }
  sign(x: T): T {
    return this.emit('sign', [x], none);
  }
  relu(x: T): T {
    return this.emit('relu', [x], none);
  }
  leakyRelu(x: T, alpha: number): T {
    return this.emit('leaky_relu', [x], { alpha });
  }
  elu(x: T, alpha: number): T {
    return this.emit('elu', [x], { alpha });
  }
  gelu(x: T): T {
    return this.emit('gelu', [x], none);
  }
  sigmoid(x: T): T {
    return this.emit('sigmoid', [x], none);
  }
  tanh(x: T): T {
    return this.emit('tanh', [x], none);
  }
  softplus(x: T): T {
    return this.emit('softplus', [x], none);
  }
  cast(x: T, dtype: DType): T {
    return this.dtype(x) === dtype ? x : this.emit('cast', [x], { dtype });
  }
  where(cond: T, a: T, b: T): T {
    return this.emit('where', [cond, a, b], none);
  }
  stopGradient(x: T): T {
    return this.emit('stop_gradient', [x], none);
  }
  full(shape: Shape, value: number, dtype: DType = 'f32'): T {
    return this.emit('full', [], { shape, value, dtype });
  }
  scalar(value: number, dtype: DType = 'f32'): T {
    return this.full([], value, dtype);
  }
  zerosLike(x: T): T {
    return this.full(this.shape(x), 0, this.dtype(x));
  }
  onesLike(x: T): T {
    return this.full(this.shape(x), 1, this.dtype(x));
  }
  constant(shape: Shape, values: readonly number[], dtype: DType = 'f32'): T {
    return this.emit('constant', [], { shape, values, dtype });
  }
  randomUniform(counter: T, shape: Shape, seed: number): T {
    return this.emit('random_uniform', [counter], { shape, seed });
  }
  softmax(x: T, axis = -1): T {
    return this.emit('softmax', [x], { axis });
  }
  logSoftmax(x: T, axis = -1): T {
    return this.emit('log_softmax', [x], { axis });
  }
  argmax(x: T, axis = -1): T {
    return this.emit('argmax', [x], { axis });
  }
  matmul(a: T, b: T, transA = false, transB = false): T {
    return this.emit('matmul', [a, b], { transA, transB });
  }
  sum(x: T, axes?: readonly number[], keepdims = false): T {
    return this.emit('sum', [x], { axes: axes ?? this.allAxes(x), keepdims });
  }
  mean(x: T, axes?: readonly number[], keepdims = false): T {
    return this.emit('mean', [x], { axes: axes ?? this.allAxes(x), keepdims });
  }
  max(x: T, axes?: readonly number[], keepdims = false): T {
    return this.emit('max', [x], { axes: axes ?? this.allAxes(x), keepdims });
  }
  reshape(x: T, shape: Shape): T {
    return sameShape(this.shape(x), shape) ? x : this.emit('reshape', [x], { shape });
  }
  transpose(x: T, perm?: readonly number[]): T {
    const rank = this.shape(x).length;
    return this.emit('transpose', [x], { perm: perm ?? [...Array(rank).keys()].reverse() });
  }
  broadcastTo(x: T, shape: Shape): T {
    return sameShape(this.shape(x), shape) ? x : this.emit('broadcast_to', [x], { shape });
  }
  concat(xs: readonly T[], axis: number): T {
    return xs.length === 1 ? xs[0]! : this.emit('concat', xs, { axis });
  }
  slice(x: T, begin: readonly number[], size: readonly number[]): T {
    return this.emit('slice', [x], { begin, size });
  }
  pad(x: T, pads: readonly (readonly [number, number])[]): T {
    return this.emit('pad', [x], { pads });
  }
  gather(x: T, indices: T, axis = 0): T {
    return this.emit('gather', [x, indices], { axis });
  }
  scatterAdd(updates: T, indices: T, axis: number, shape: Shape): T {
    return this.emit('scatter_add', [updates, indices], { axis, shape });
  }
  oneHot(indices: T, depth: number): T {
    return this.emit('one_hot', [indices], { depth });
  }
  conv2d(x: T, w: T, attrs: ConvAttrs): T {
    return this.emit('conv2d', [x, w], attrs);
  }
  maxPool2d(x: T, attrs: Window2D): T {
    return this.emit('max_pool2d', [x], attrs);
  }
  avgPool2d(x: T, attrs: Window2D): T {
    return this.emit('avg_pool2d', [x], attrs);
  }

  // Composites used by gradient rules and layers.

  /** x * s for a plain number s. */
  scale(x: T, s: number): T {
    return this.mul(x, this.scalar(s));
  }
  /** 1 - x */
  oneMinus(x: T): T {
    return this.sub(this.scalar(1), x);
  }
  square(x: T): T {
    return this.mul(x, x);
  }
  /** 0/1 f32 mask of a bool tensor. */
  mask(cond: T): T {
    return this.cast(cond, 'f32');
  }

  /**
   * Sum a broadcast result back down to `shape` (the gradient of broadcasting): sum the leading
   * extra dims, then the dims that were 1 in `shape`, keeping them.
   */
  sumTo(x: T, shape: Shape): T {
    const from = this.shape(x);
    if (sameShape(from, shape)) return x;
    broadcastShapes(shape, from); // throws if shape does not broadcast to from
    const lead = from.length - shape.length;
    const axes: number[] = [];
    for (let i = 0; i < from.length; i++) {
      if (i < lead || (shape[i - lead] === 1 && from[i] !== 1)) axes.push(i);
    }
    const summed = axes.length ? this.sum(x, axes, true) : x;
    return this.reshape(summed, shape);
  }

  private allAxes(x: T): number[] {
    return [...this.shape(x).keys()];
  }
}
