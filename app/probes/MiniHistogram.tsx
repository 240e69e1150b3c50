/** A probe's histogram: equal-width bins as bars, with the range under them. */
import { memo } from 'react';
import { formatValue } from '../charts/chartScale';

export const MiniHistogram = memo(function MiniHistogram({ edges, counts, label }: { edges: Float32Array; counts: Uint32Array; label: string }) {
  const W = 288;
  const H = 64;
  const peak = Math.max(1, ...counts);
  const w = W / counts.length;
  return (
    <figure className="mini-hist">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${label} histogram`} data-counts={Array.from(counts).join(',')}>
        {Array.from(counts, (c, i) => (
          <rect key={i} x={i * w + 0.5} width={Math.max(0.5, w - 1)} y={H - (c / peak) * (H - 2)} height={(c / peak) * (H - 2)} />
        ))}
      </svg>
      <figcaption>
        <span>{formatValue(edges[0] ?? 0)}</span>
        <span>{formatValue(edges[edges.length - 1] ?? 0)}</span>
      </figcaption>
    </figure>
  );
});
