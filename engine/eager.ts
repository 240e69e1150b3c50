/**
 * The eager tensor API (the PyTorch way): ops run as they are called, on the CPU backend's
 * kernels, and `backward()` walks the recorded graph with the same gradient rules the static
 * compiler uses.
 */
import type { Data, KernelContext } from './backends/cpu/kernel';
import { CPU_KERNELS } from './backends/cpu/kernels';
import type { CpuKernel } from './backends/cpu/kernel';
import { OpBuilder, type Emitter } from './ops/builder';
import { inferOp, OP_DEFS, type GradRule } from './ops/defs';
import { Rng } from './ops/random';
import { sizeOf } from './ops/shape';
import type { Attrs, DType, Op, Shape, TensorType } from './ops/types';

interface Recorded {
  readonly op: Op;
  readonly inputs: readonly Tensor[];
  readonly attrs: Attrs<Op>;
}

const ctx: KernelContext = {
  alloc: (dtype: DType, size: number): Data => (dtype === 'f32' ? new Float32Array(size) : dtype === 'i32' ? new Int32Array(size) : new Uint8Array(size)),
};

let recording = true;

/** Run `f` without recording ops for backward (torch.no_grad). */
export function noGrad<R>(f: () => R): R {
  const prev = recording;
  recording = false;
  try {
    return f();
  } finally {
    recording = prev;
  }
}

const emitter: Emitter<Tensor> = {
  emit<O extends Op>(op: O, inputs: readonly Tensor[], attrs: Attrs<O>): Tensor {
    const type = inferOp(
      op,
      inputs.map((t) => t.type),
      attrs,
    );
    const kernel = CPU_KERNELS[op] as CpuKernel<O>;
    const data = kernel(inputs, attrs, type, ctx);
    const track = recording && inputs.some((t) => t.requiresGrad);
    return new Tensor(data, type.shape, type.dtype, track, track ? { op, inputs, attrs: attrs as Attrs<Op> } : undefined);
  },
  typeOf: (t) => t.type,
};

/** Op helpers over eager tensors (`ops.matmul(a, b)`, `ops.conv2d(x, w, …)`). */
export const ops = new OpBuilder(emitter);

type Operand = Tensor | number;
const lift = (v: Operand): Tensor => (typeof v === 'number' ? ops.scalar(v) : v);

/** A tensor whose values live in a typed array; ops as methods, autograd with backward(). */
export class Tensor {
  /** d(root)/d(this) after root.backward(), for tensors that require a gradient. */
  grad: Tensor | null = null;

  constructor(
    readonly data: Data,
    readonly shape: Shape,
    readonly dtype: DType,
    readonly requiresGrad = false,
    /** How this tensor was computed, when it takes part in autograd. */
    private readonly recorded?: Recorded,
  ) {}

  get type(): TensorType {
    return { shape: this.shape, dtype: this.dtype };
  }
  get size(): number {
    return this.data.length;
  }

  add(o: Operand): Tensor {
    return ops.add(this, lift(o));
  }
  sub(o: Operand): Tensor {
    return ops.sub(this, lift(o));
  }
  mul(o: Operand): Tensor {
    return ops.mul(this, lift(o));
  }
  div(o: Operand): Tensor {
    return ops.div(this, lift(o));
  }
  pow(o: Operand): Tensor {
    return ops.pow(this, lift(o));
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  matmul(o: Tensor): Tensor {
    return ops.matmul(this, o);
  }
  /** Matrix transpose of the last two axes (all axes reversed when perm is omitted and rank ≠ 2). */
  t(): Tensor {
    return ops.transpose(this);
  }
  sum(axes?: readonly number[], keepdims = false): Tensor {
    return ops.sum(this, axes, keepdims);
  }
  mean(axes?: readonly number[], keepdims = false): Tensor {
    return ops.mean(this, axes, keepdims);
  }
  max(axes?: readonly number[], keepdims = false): Tensor {
    return ops.max(this, axes, keepdims);
  }
  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  softmax(axis = -1): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return ops.logSoftmax(this, axis);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) throw new Error(`item() needs a one-element tensor, not shape [${this.shape.join(', ')}]`);
    return this.data[0]!;
  }
  toArray(): number[] {
    return Array.from(this.data);
  }
  /** A copy cut off from autograd. */
  detach(): Tensor {
    return new Tensor(this.data.slice(), this.shape, this.dtype);
  }

  /**
   * Reverse-mode autodiff from this tensor (a scalar, or seeded with `seed`): fills `.grad` of
   * every tensor with requiresGrad that it depends on, accumulating across calls like PyTorch.
   */
  backward(seed?: Tensor): void {
    const order: Tensor[] = [];
    const seen = new Set<Tensor>();
    const visit = (t: Tensor) => {
      if (seen.has(t)) return;
      seen.add(t);
      t.recorded?.inputs.forEach(visit);
      order.push(t);
    };
    visit(this);
    if (!seed && this.size !== 1) throw new Error('backward() of a non-scalar tensor needs a seed gradient');
    const grads = new Map<Tensor, Tensor>([[this, seed ?? ops.onesLike(this)]]);
    noGrad(() => {
      for (let i = order.length - 1; i >= 0; i--) {
        const t = order[i]!;
        const g = grads.get(t);
        if (!g) continue;
        if (!t.recorded) {
          if (t.requiresGrad) t.grad = t.grad ? t.grad.add(g) : g;
          continue;
        }
        const rule = OP_DEFS[t.recorded.op].grad as GradRule<Op> | null;
        if (!rule) continue;
        const inputGrads = rule(ops, t.recorded.inputs, t, g, t.recorded.attrs);
        t.recorded.inputs.forEach((x, k) => {
          const gx = inputGrads[k];
          if (!gx || !x.requiresGrad) return;
          const prev = grads.get(x);
          grads.set(x, prev ? prev.add(gx) : gx);
        });
      }
    });
  }
}

/** A tensor from values (flat, with a shape) or nested arrays. */
export function tensor(values: ArrayLike<number> | NestedArray, shape?: Shape, options: { dtype?: DType; requiresGrad?: boolean } = {}): Tensor {
  const flat: number[] = [];
  const inferred: number[] = [];
  const walk = (v: unknown, depth: number) => {
    if (Array.isArray(v)) {
      if (inferred.length === depth) inferred.push(v.length);
      v.forEach((x) => walk(x, depth + 1));
    } else flat.push(v as number);
  };
  if (ArrayBuffer.isView(values)) flat.push(...Array.from(values as ArrayLike<number>));
  else walk(values, 0);
  const s = shape ?? (ArrayBuffer.isView(values) ? [flat.length] : inferred);
  if (sizeOf(s) !== flat.length) throw new Error(`${flat.length} values do not fill shape [${s.join(', ')}]`);
  const dtype = options.dtype ?? 'f32';
  const data = ctx.alloc(dtype, flat.length);
  data.set(flat);
  return new Tensor(data, s, dtype, options.requiresGrad ?? false);
}

export type NestedArray = number | readonly NestedArray[];

/** Standard-normal values of a shape, from a seed (torch.randn). */
export function randn(shape: Shape, seed: number, options: { requiresGrad?: boolean } = {}): Tensor {
  const rng = new Rng(seed);
  const data = Float32Array.from({ length: sizeOf(shape) }, () => rng.normal());
  return new Tensor(data, shape, 'f32', options.requiresGrad ?? false);
}
