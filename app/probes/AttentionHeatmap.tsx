/** One attention head as a heatmap: queries down, keys across, each cell a softmax weight in 0..1 (surface colour → accent), tokens on the axes. */
import { memo, useEffect, useRef } from 'react';
import { useEditor } from '../store/context';
import { parseColour } from './colormap';

/** Pixel side of a cell for `n` keys: fits about 260 px, between 3 and 16. */
export function cellSize(n: number): number {
  return Math.max(3, Math.min(16, Math.floor(260 / Math.max(1, n))));
}

/** Token labels readable in a cell: whitespace shown by a sign, cut to one character. */
const label = (t: string) => (t === '\n' ? '⏎' : t === ' ' ? '␣' : t === '\t' ? '⇥' : ([...t][0] ?? ''));

export const AttentionHeatmap = memo(function AttentionHeatmap({
  weights,
  queries,
  keys,
  tokens,
  title,
}: {
  weights: Float32Array;
  queries: number;
  keys: number;
  tokens: readonly string[];
  title: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useEditor((s) => s.theme);
  const cell = cellSize(Math.max(queries, keys));
  const axis = cell >= 9 ? cell + 2 : 0; // room for token labels when a cell can hold one
  const width = axis + keys * cell;
  const height = axis + queries * cell;
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const canvas = ref.current;
      const ctx = canvas?.getContext('2d');
      if (!canvas || !ctx) return;
      const style = getComputedStyle(canvas);
      const low = parseColour(style.getPropertyValue('--surface-2'));
      const high = parseColour(style.getPropertyValue('--accent'));
      ctx.clearRect(0, 0, width, height);
      for (let q = 0; q < queries; q++) {
        for (let k = 0; k < keys; k++) {
          const v = weights[q * keys + k]!;
          const t = Number.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
          ctx.fillStyle = Number.isFinite(v) ? `rgb(${low.map((c, i) => Math.round(c + (high[i]! - c) * t)).join(',')})` : 'rgb(255,0,255)';
          ctx.fillRect(axis + k * cell, axis + q * cell, cell - (cell > 5 ? 1 : 0), cell - (cell > 5 ? 1 : 0));
        }
      }
      if (axis) {
        ctx.fillStyle = style.getPropertyValue('--text-muted').trim() || '#888';
        ctx.font = `${Math.min(11, cell - 1)}px ${style.getPropertyValue('--font-mono') || 'monospace'}`;
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        for (let k = 0; k < keys; k++) ctx.fillText(label(tokens[k] ?? ''), axis + k * cell + cell / 2, axis / 2);
        for (let q = 0; q < queries; q++) ctx.fillText(label(tokens[q] ?? ''), axis / 2, axis + q * cell + cell / 2);
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [weights, queries, keys, tokens, cell, axis, width, height, theme]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className="attention-heatmap"
      role="img"
      aria-label={`${title}: ${queries} queries × ${keys} keys, darker is more weight`}
    />
  );
});
