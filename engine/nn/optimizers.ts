import type { OpBuilder } from '../ops/builder';
import type { OptimizerConfig } from '../graph/training';

/** A trainable variable with its gradient, as values of the host (graph nodes or tensors). */
export interface ParamWithGrad<T> {
  readonly name: string;
  readonly value: T;
  readonly grad: T;
}

/** What an optimizer needs besides the parameters. */
export interface OptimizerHost<T> {
  readonly b: OpBuilder<T>;
  /** A persistent slot for `param` (e.g. Adam's "m"), starting filled with `fill`, shaped like the parameter. */
  slot(param: ParamWithGrad<T>, slot: string, fill: number): { readonly name: string; readonly value: T };
  /** The learning rate for this step (a scalar fed each step, so schedules and live changes cost nothing). */
  readonly lr: T;
  /** The 1-based step number as an f32 scalar (Adam's bias correction). */
  readonly t: T;
}

/** A variable's new value after one step. */
export interface Assignment<T> {
  readonly name: string;
  readonly value: T;
}

/**
 * The update ops of one optimizer step for every parameter (the formulas of Keras / PyTorch,
 * noted per case). Returns new values for the parameters and the optimizer's slots.
 */
export function optimizerUpdates<T>(cfg: OptimizerConfig, host: OptimizerHost<T>, params: readonly ParamWithGrad<T>[]): Assignment<T>[] {
  const { b, lr } = host;
  const out: Assignment<T>[] = [];
  const k = (v: number) => b.scalar(v);
  for (const p of params) {
    // Coupled weight decay (L2): g += wd·p. AdamW decays the weights directly instead.
    const g = cfg.weightDecay > 0 && cfg.type !== 'adamw' ? b.add(p.grad, b.scale(p.value, cfg.weightDecay)) : p.grad;
    switch (cfg.type) {
      case 'sgd': {
        if (cfg.momentum === 0) {
          out.push({ name: p.name, value: b.sub(p.value, b.mul(lr, g)) });
          break;
        }
        // Keras: v ← μv − lr·g; p ← p + v (Nesterov: p ← p + μv − lr·g).
        const v = host.slot(p, 'velocity', 0);
        const vNew = b.sub(b.scale(v.value, cfg.momentum), b.mul(lr, g));
        const step = cfg.nesterov ? b.sub(b.scale(vNew, cfg.momentum), b.mul(lr, g)) : vNew;
        out.push({ name: v.name, value: vNew }, { name: p.name, value: b.add(p.value, step) });
        break;
      }
      case 'adam':
      case 'adamw': {
        // m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; p ← p − lr·m̂/(√v̂ + ε) (− lr·wd·p for AdamW).
        const m = host.slot(p, 'm', 0);
        const v = host.slot(p, 'v', 0);
        const mNew = b.add(b.scale(m.value, cfg.beta1), b.scale(g, 1 - cfg.beta1));
        const vNew = b.add(b.scale(v.value, cfg.beta2), b.scale(b.square(g), 1 - cfg.beta2));
        const mHat = b.div(mNew, b.oneMinus(b.pow(k(cfg.beta1), host.t)));
        const vHat = b.div(vNew, b.oneMinus(b.pow(k(cfg.beta2), host.t)));
        let delta = b.div(mHat, b.add(b.sqrt(vHat), k(cfg.eps)));
        if (cfg.type === 'adamw' && cfg.weightDecay > 0) delta = b.add(delta, b.scale(p.value, cfg.weightDecay));
        out.push({ name: m.name, value: mNew }, { name: v.name, value: vNew }, { name: p.name, value: b.sub(p.value, b.mul(lr, delta)) });
        break;
      }
      case 'rmsprop': {
        // PyTorch: s ← ρs + (1−ρ)g²; u = g/(√s + ε); with momentum: buf ← μ·buf + u, p ← p − lr·buf.
        const s = host.slot(p, 'rms', 0);
        const sNew = b.add(b.scale(s.value, cfg.rho), b.scale(b.square(g), 1 - cfg.rho));
        let u = b.div(g, b.add(b.sqrt(sNew), k(cfg.eps)));
        out.push({ name: s.name, value: sNew });
        if (cfg.momentum > 0) {
          const buf = host.slot(p, 'momentum', 0);
          u = b.add(b.scale(buf.value, cfg.momentum), u);
          out.push({ name: buf.name, value: u });
        }
        out.push({ name: p.name, value: b.sub(p.value, b.mul(lr, u)) });
        break;
      }
      case 'adagrad': {
        // acc ← acc + g²; p ← p − lr·g/(√acc + ε).
        const acc = host.slot(p, 'accumulator', cfg.initialAccumulator);
        const accNew = b.add(acc.value, b.square(g));
        out.push({ name: acc.name, value: accNew }, { name: p.name, value: b.sub(p.value, b.mul(lr, b.div(g, b.add(b.sqrt(accNew), k(cfg.eps))))) });
        break;
      }
      default:
        cfg satisfies never;
    }
  }
  return out;
}
