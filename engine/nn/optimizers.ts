import type { OpBuilder } from '../ops/builder';
import type { OptimizerConfig } from '../graph/training';

/** A trainable variable with its gradient, as values of the host (graph nodes or tensors). */
export interface ParamWithGrad<T> {
  readonly name: string;
  readonly value: T;
  readonly grad: T;
}

/**
 * The scalars an optimizer update may read as feeds (so they change without recompiling): the
 * hyperparameters, and for Adam two per-step values the host computes in float64 (see stepScalars).
 */
export type Hyperparameter = 'beta1' | 'beta2' | 'eps' | 'momentum' | 'rho' | 'weightDecay' | 'stepSize' | 'epsHat';

/** What an optimizer needs besides the parameters. */
export interface OptimizerHost<T> {
  readonly b: OpBuilder<T>;
  /** A persistent slot for `param` (e.g. Adam's "m"), starting filled with `fill`, shaped like the parameter. */
  slot(param: ParamWithGrad<T>, slot: string, fill: number): { readonly name: string; readonly value: T };
  /** The learning rate for this step (a scalar fed each step, so schedules and live changes cost nothing). */
  readonly lr: T;
  /** The 1-based step number as an f32 scalar (Adam's bias correction). */
  readonly t: T;
  /**
   * The scalar holding hyperparameter `name` (now `value`): a feed, so it can change between steps.
   * Without it, hyperparameters are literals baked into the program.
   */
  hyperparameter?(name: Hyperparameter, value: number): T;
  /**
   * What variable `name` is set to, given its `value` after this step (a NaN guard). Called as soon
   * as each value is built, so a fused kernel can compute both.
   */
  guard?(name: string, value: T): T;
}

/** A variable's new value after one step. */
export interface Assignment<T> {
  readonly name: string;
  readonly value: T;
}

/**
 * The values of the fed scalars that `cfg`'s update reads at 1-based step `t` with learning rate `lr`
 * (optimizerUpdates asks the host for exactly these). Adam's bias corrections fold into two of them,
 * PyTorch's way: p ← p − stepSize·m/(√v + epsHat), stepSize = lr·√(1−β2^t)/(1−β1^t),
 * epsHat = ε·√(1−β2^t), equal to lr·m̂/(√v̂ + ε) with one scalar fewer (and no powers) for a fused kernel.
 */
export function stepScalars(cfg: OptimizerConfig, lr: number, t: number): Partial<Record<Hyperparameter, number>> {
  const wd = cfg.weightDecay > 0 ? { weightDecay: cfg.weightDecay } : {};
  switch (cfg.type) {
    case 'sgd':
      return cfg.momentum > 0 ? { momentum: cfg.momentum, ...wd } : wd;
    case 'adam':
    case 'adamw': {
      const root = Math.sqrt(1 - cfg.beta2 ** t);
      return { beta1: cfg.beta1, beta2: cfg.beta2, stepSize: (lr * root) / (1 - cfg.beta1 ** t), epsHat: cfg.eps * root, ...wd };
    }
    case 'rmsprop':
      return { rho: cfg.rho, eps: cfg.eps, ...(cfg.momentum > 0 ? { momentum: cfg.momentum } : {}), ...wd };
    case 'adagrad':
      return { eps: cfg.eps, ...wd };
    default:
      return cfg satisfies never;
  }
}

/**
 * True when a program compiled for `prev` can train with `next` by feeding new hyperparameter values:
 * the same optimizer type, the same slots and terms (momentum, weight decay each on or off in both,
 * the same Nesterov flag and Adagrad starting accumulator). Otherwise the program must be recompiled.
 */
export function canApplyLive(prev: OptimizerConfig, next: OptimizerConfig): boolean {
  if (prev.type !== next.type) return false;
  const a = stepScalars(prev, 1, 1);
  const b = stepScalars(next, 1, 1);
  const sameKeys = Object.keys(a).sort().join() === Object.keys(b).sort().join();
  const sameStructure =
    (prev.type !== 'sgd' || prev.nesterov === (next as typeof prev).nesterov) &&
    (prev.type !== 'adagrad' || prev.initialAccumulator === (next as typeof prev).initialAccumulator);
  return sameKeys && sameStructure;
}

/**
 * The update ops of one optimizer step for every parameter (PyTorch's formulas, noted per case).
 * Returns new values for the parameters and the optimizer's slots.
 */
export function optimizerUpdates<T>(cfg: OptimizerConfig, host: OptimizerHost<T>, params: readonly ParamWithGrad<T>[]): Assignment<T>[] {
  const { b } = host;
  const out: Assignment<T>[] = [];
  const k = (v: number) => b.scalar(v);
  const fed = host.hyperparameter?.bind(host);
  const hyper = stepScalars(cfg, 0, 1); // the baked-in values (literal path) of the constant ones
  const h = (name: Hyperparameter) => (fed ? fed(name, hyper[name]!) : k(hyper[name]!));
  /** x · hyperparameter (a literal scale when hyperparameters are baked in). */
  const times = (x: T, name: Hyperparameter) => (fed ? b.mul(x, h(name)) : b.scale(x, hyper[name]!));
  /** x · (1 − hyperparameter). */
  const timesOneMinus = (x: T, name: Hyperparameter) => (fed ? b.mul(x, b.oneMinus(h(name))) : b.scale(x, 1 - hyper[name]!));
  const assign = (name: string, value: T) => out.push({ name, value: host.guard ? host.guard(name, value) : value });
  for (const p of params) {
    // Coupled weight decay (L2): g += wd·p. AdamW decays the weights directly instead.
    const g = cfg.weightDecay > 0 && cfg.type !== 'adamw' ? b.add(p.grad, times(p.value, 'weightDecay')) : p.grad;
    switch (cfg.type) {
      case 'sgd': {
        if (cfg.momentum === 0) {
          assign(p.name, b.sub(p.value, b.mul(host.lr, g)));
          break;
        }
        // PyTorch: buf ← μ·buf + g; p ← p − lr·buf (Nesterov: p ← p − lr·(g + μ·buf)). The buffer
        // holds no learning rate, so a new rate applies at once (Keras' v ← μv − lr·g carries the old one).
        const buf = host.slot(p, 'velocity', 0);
        const bufNew = b.add(times(buf.value, 'momentum'), g);
        assign(buf.name, bufNew);
        const step = cfg.nesterov ? b.add(g, times(bufNew, 'momentum')) : bufNew;
        assign(p.name, b.sub(p.value, b.mul(host.lr, step)));
        break;
      }
      case 'adam':
      case 'adamw': {
        // m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; p ← p − lr·m̂/(√v̂ + ε) (− lr·wd·p for AdamW);
        // fed, the bias corrections come folded into stepSize and epsHat (stepScalars).
        const m = host.slot(p, 'm', 0);
        const v = host.slot(p, 'v', 0);
        const mNew = b.add(times(m.value, 'beta1'), timesOneMinus(g, 'beta1'));
        assign(m.name, mNew);
        const vNew = b.add(times(v.value, 'beta2'), timesOneMinus(b.square(g), 'beta2'));
        assign(v.name, vNew);
        let step: T;
        if (fed) step = b.mul(h('stepSize'), b.div(mNew, b.add(b.sqrt(vNew), h('epsHat'))));
        else {
          const mHat = b.div(mNew, b.oneMinus(b.pow(k(cfg.beta1), host.t)));
          const vHat = b.div(vNew, b.oneMinus(b.pow(k(cfg.beta2), host.t)));
          step = b.mul(host.lr, b.div(mHat, b.add(b.sqrt(vHat), k(cfg.eps))));
        }
        if (cfg.type === 'adamw' && cfg.weightDecay > 0) step = b.add(step, b.mul(host.lr, times(p.value, 'weightDecay')));
        assign(p.name, b.sub(p.value, step));
        break;
      }
      case 'rmsprop': {
        // PyTorch: s ← αs + (1−α)g²; u = g/(√s + ε); with momentum: buf ← μ·buf + u, p ← p − lr·buf.
        const s = host.slot(p, 'rms', 0);
        const sNew = b.add(times(s.value, 'rho'), timesOneMinus(b.square(g), 'rho'));
        assign(s.name, sNew);
        let u = b.div(g, b.add(b.sqrt(sNew), h('eps')));
        if (cfg.momentum > 0) {
          const buf = host.slot(p, 'momentum', 0);
          u = b.add(times(buf.value, 'momentum'), u);
          assign(buf.name, u);
        }
        assign(p.name, b.sub(p.value, b.mul(host.lr, u)));
        break;
      }
      case 'adagrad': {
        // acc ← acc + g²; p ← p − lr·g/(√acc + ε).
        const acc = host.slot(p, 'accumulator', cfg.initialAccumulator);
        const accNew = b.add(acc.value, b.square(g));
        assign(acc.name, accNew);
        assign(p.name, b.sub(p.value, b.mul(host.lr, b.div(g, b.add(b.sqrt(accNew), h('eps'))))));
        break;
      }
      default:
        cfg satisfies never;
    }
  }
  return out;
}
