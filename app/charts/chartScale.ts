/** Axis maths for the dashboard's charts: nice ticks, log ticks, compact number and time labels. */

/** About `count` round tick values (1, 2, 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  const step = (r >= 7.5 ? 10 : r >= 3.5 ? 5 : r >= 1.5 ? 2 : 1) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten within [lo, hi] (both > 0), thinned to about `count`; nice linear ticks if under a decade. */
export function logTicks(lo: number, hi: number, count = 5): number[] {
  const a = Math.ceil(Math.log10(lo));
  const b = Math.floor(Math.log10(hi));
  if (b - a < 1) return niceTicks(lo, hi, count).filter((v) => v > 0);
  const every = Math.ceil((b - a + 1) / count);
  const out: number[] = [];
  for (let k = a; k <= b; k += every) out.push(Number(`1e${k}`));
  return out;
}

/**
 * The y range around a constant series at `v`: half its size either side (a learning rate of 0.001
 * is drawn mid-chart on 0.0005..0.0015, not as a line at 0 on -1..1), or ±1 around 0.
 */
export function flatRange(v: number, logY: boolean): [number, number] {
  if (logY) return [v / 2, v * 2];
  const d = Math.abs(v) / 2 || 1;
  return [v - d, v + d];
}

/** Short labels: 0.25, 1.5e+6, 3e-5. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(1).replace('.0e', 'e');
  return String(Number(v.toPrecision(4)));
}

/** Seconds as "45 s", "3.5 min", "1.2 h". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Number(s.toPrecision(3))} s`;
  if (s < 3600) return `${Number((s / 60).toPrecision(3))} min`;
  return `${Number((s / 3600).toPrecision(3))} h`;
}

/** Wall-clock ms as "14:03:27". */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

/** Labels for a set of ticks: formatValue, with more digits where it would print two ticks alike. */
export function formatTicks(ticks: readonly number[]): string[] {
  const plain = ticks.map(formatValue);
  if (new Set(plain).size === plain.length) return plain;
  for (let digits = 2; digits <= 8; digits++) {
    const labels = ticks.map((v) =>
      v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3) ? v.toExponential(digits).replace(/\.?0+e/, 'e') : String(Number(v.toPrecision(digits + 2))),
    );
    if (new Set(labels).size === labels.length) return labels;
  }
  return plain;
}

/** SVG path data through the items' pixel positions, the pen lifted wherever `at` gives none (a gap, NaN, off scale). */
export function svgPath<T>(items: readonly T[], at: (item: T) => readonly [number, number] | undefined): string {
  let d = '';
  let pen = false;
  for (const item of items) {
    const p = at(item);
    if (!p || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${p[0].toFixed(1)},${p[1].toFixed(1)}`;
    pen = true;
  }
  return d;
}
