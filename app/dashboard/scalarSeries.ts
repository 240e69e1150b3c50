/**
 * The scalar curves of a run (TensorBoard's Scalars tab): loss, metrics, learning rate, gradient
 * norm and steps/s, for training and validation, against step or time.
 */
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import type { CurvePoint } from '../charts/chartData';
import type { XAxis } from './viewStore';

/** Which scalar a chart shows: the loss, a metric node's value, or a training-only quantity. */
export type Scalar =
  | { readonly kind: 'loss' }
  | { readonly kind: 'metric'; readonly node: string }
  | { readonly kind: 'lr' }
  | { readonly kind: 'gradNorm' }
  | { readonly kind: 'stepsPerSecond' };

/** Steps averaged over for the steps/s curve. */
export const RATE_WINDOW = 10;

/** Steps per second at each point, over the last RATE_WINDOW points (the first point has none). */
export function stepsPerSecond(points: readonly MetricPoint[], window = RATE_WINDOW): number[] {
  return points.map((p, i) => {
    const back = points[Math.max(0, i - window)]!;
    const dt = p.time - back.time;
    return i === 0 || dt <= 0 ? Number.NaN : ((p.step - back.step) * 1000) / dt;
  });
}

function pick(p: MetricPoint | ValidationPoint, s: Scalar): number | undefined {
  switch (s.kind) {
    case 'loss':
      return p.loss;
    case 'metric':
      return p.metrics[s.node];
    case 'lr':
      return 'lr' in p ? p.lr : undefined;
    case 'gradNorm':
      return 'gradNorm' in p ? p.gradNorm : undefined;
    case 'stepsPerSecond':
      return undefined;
  }
}

/** x of a training point: its step, seconds since the run began, or wall-clock ms. */
function xOf(p: { step: number; time: number }, axis: XAxis, created: number): number {
  return axis === 'step' ? p.step : axis === 'relative' ? p.time / 1000 : created + p.time;
}

/** Time (ms since start) at `step`, from the training points (validation points carry only steps). */
function timeAtStep(points: readonly MetricPoint[], step: number): number {
  let lo = 0;
  let hi = points.length - 1;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  return points[lo]!.time;
}

/** x of `step` on the chosen axis (validation points and markers carry only steps). */
export function xAtStep(points: readonly MetricPoint[], step: number, axis: XAxis, created: number): number {
  return xOf({ step, time: timeAtStep(points, step) }, axis, created);
}

/** The training curve of one scalar; undefined values (a metric the run lacks) are left out. */
export function trainingCurve(points: readonly MetricPoint[], s: Scalar, axis: XAxis, created: number): CurvePoint[] {
  const rates = s.kind === 'stepsPerSecond' ? stepsPerSecond(points) : undefined;
  const out: CurvePoint[] = [];
  points.forEach((p, i) => {
    const y = rates ? rates[i]! : pick(p, s);
    if (y !== undefined && !(rates && Number.isNaN(y))) out.push({ x: xOf(p, axis, created), value: y, step: p.step });
  });
  return out;
}

/** The validation curve of one scalar (loss and metrics only). */
export function validationCurve(validation: readonly ValidationPoint[], points: readonly MetricPoint[], s: Scalar, axis: XAxis, created: number): CurvePoint[] {
  if (s.kind !== 'loss' && s.kind !== 'metric') return [];
  const out: CurvePoint[] = [];
  for (const v of validation) {
    const y = pick(v, s);
    if (y !== undefined) out.push({ x: xAtStep(points, v.step, axis, created), value: y, step: v.step });
  }
  return out;
}
