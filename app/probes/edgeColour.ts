/**
 * Edge colouring by gradient magnitude: the RMS gradient flowing back along an edge, on a log
 * scale, from vanishing (grey-blue, thin) through healthy (green) to exploding (red, thick).
 */

/** Below this RMS a gradient counts as vanished; above the upper one, as exploding. */
export const VANISHING = 1e-6;
export const EXPLODING = 1e2;

export interface EdgeStyle {
  readonly stroke: string;
  readonly strokeWidth: number;
  /** "3.2e-4": the value, for the edge's label and title. */
  readonly text: string;
  readonly level: 'vanishing' | 'small' | 'healthy' | 'large' | 'exploding';
}

/** Position of `rms` on [VANISHING, EXPLODING] in log10, clamped to [0, 1]. */
export function magnitudeScale(rms: number): number {
  if (!(rms > 0)) return 0;
  const t = (Math.log10(rms) - Math.log10(VANISHING)) / (Math.log10(EXPLODING) - Math.log10(VANISHING));
  return Math.max(0, Math.min(1, t));
}

/** Hue from blue (vanishing) through green to red (exploding), width 1.2…4.5 px. */
export function edgeStyle(rms: number): EdgeStyle {
  const t = magnitudeScale(rms);
  const level = !Number.isFinite(rms) || rms >= EXPLODING ? 'exploding' : rms <= VANISHING ? 'vanishing' : t < 0.3 ? 'small' : t > 0.8 ? 'large' : 'healthy';
  const hue = Number.isFinite(rms) ? Math.round(220 - 220 * t) : 0;
  return {
    stroke: `hsl(${hue} 75% 48%)`,
    strokeWidth: Number((1.2 + 3.3 * (Number.isFinite(rms) ? t : 1)).toFixed(2)),
    text: Number.isFinite(rms) ? rms.toExponential(1).replace('.0e', 'e') : String(rms),
    level,
  };
}
