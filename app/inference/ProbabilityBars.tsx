/** The top classes of a prediction as horizontal bars, most probable first. */

/** Classes shown. */
export const TOP_K = 5;

export function topClasses(probabilities: ArrayLike<number>, k = TOP_K): { cls: number; p: number }[] {
  return Array.from(probabilities, (p, cls) => ({ cls, p }))
    .sort((a, b) => b.p - a.p || a.cls - b.cls)
    .slice(0, k);
}

export function ProbabilityBars({ probabilities, classNames, truth }: { probabilities: Float32Array; classNames?: readonly string[]; truth?: number }) {
  const name = (c: number) => classNames?.[c] ?? String(c);
  return (
    <ol className="prob-bars" aria-label="Class probabilities">
      {topClasses(probabilities).map(({ cls, p }) => (
        <li key={cls} className={cls === truth ? 'is-truth' : undefined}>
          <span className="prob-name">{name(cls)}</span>
          <span
            className="prob-track"
            role="meter"
            aria-label={`Probability of ${name(cls)}`}
            aria-valuemin={0}
            aria-valuemax={1}
            aria-valuenow={Number(p.toFixed(4))}
            aria-valuetext={`${(100 * p).toFixed(1)}%`}
          >
            <span className="prob-fill" style={{ width: `${(100 * p).toFixed(2)}%` }} />
          </span>
          <span className="prob-value">{(100 * p).toFixed(1)}%</span>
        </li>
      ))}
    </ol>
  );
}
