import { Rng } from '../ops/random';
import { sizeOf } from '../ops/shape';
import type { Shape } from '../ops/types';
import type { Initializer } from '../graph/spec';

/**
 * First values of a variable, drawn from its initializer with a seeded generator
 * (Keras definitions: Glorot limit sqrt(6/(fanIn+fanOut)), He std sqrt(2/fanIn), …).
 */
export function initialValues(init: Initializer, shape: Shape, fans: readonly [number, number] | undefined, seed: number): Float32Array {
  const n = sizeOf(shape);
  const out = new Float32Array(n);
  const [fanIn, fanOut] = fans ?? [shape[0] ?? 1, shape[shape.length - 1] ?? 1];
  const rng = new Rng(seed);
  const fill = (f: () => number) => {
    for (let i = 0; i < n; i++) out[i] = f();
  };
  switch (init.kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'constant':
      out.fill(init.value);
      break;
    case 'normal':
      fill(() => init.mean + init.std * rng.normal());
      break;
    case 'uniform':
      fill(() => init.min + (init.max - init.min) * rng.next());
      break;
    case 'glorot_uniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      fill(() => (2 * rng.next() - 1) * limit);
      break;
    }
    case 'glorot_normal': {
      const std = Math.sqrt(2 / (fanIn + fanOut));
      fill(() => std * rng.normal());
      break;
    }
    case 'he_uniform': {
      const limit = Math.sqrt(6 / fanIn);
      fill(() => (2 * rng.next() - 1) * limit);
      break;
    }
    case 'he_normal': {
      const std = Math.sqrt(2 / fanIn);
      fill(() => std * rng.normal());
      break;
    }
    default:
      init satisfies never;
  }
  return out;
}
