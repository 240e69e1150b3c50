/** How tensor types and counts read everywhere on the page: `[32, 128]`, `101,770 params`. */
import type { TensorType } from '../../engine/ops/types';

/** `[32, 128]`, with the element type when it is not f32: `[32] i32`. */
export function formatType(t: TensorType | undefined): string {
  if (t === undefined) return '?';
  const shape = `[${t.shape.join(', ')}]`;
  return t.dtype === 'f32' ? shape : `${shape} ${t.dtype}`;
}

/** Thousands separated, `101,770` (one formatter: `toLocaleString` builds a new one per call). */
export const formatCount: (n: number) => string = new Intl.NumberFormat('en-US').format;

/** `101,770 params`; empty for nodes without trainable values. */
export function formatParamCount(n: number): string {
  if (n === 0) return '';
  return `${formatCount(n)} param${n === 1 ? '' : 's'}`;
}
