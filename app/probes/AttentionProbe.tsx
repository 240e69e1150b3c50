/**
 * The attention probe of a MultiHeadAttention node: its softmax weights (heads × queries × keys) for
 * one input — a validation sample, or typed text for a token model — as one heatmap per head, read
 * again as training moves the weights (workers/attentionMap.ts runs the input in the worker).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AttentionMap } from '../../workers/attentionMap';
import { useThrottled } from '../hooks/useThrottled';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';
import { AttentionHeatmap } from './AttentionHeatmap';

const message = (e: unknown) => (e instanceof Error ? e.message.replace(/^Error: /, '') : String(e));

type Input = { readonly sample: number } | { readonly text: string };

/** For each query, the key it weighs most: the heatmap's text alternative. */
function strongest(map: AttentionMap, head: number): string[] {
  return Array.from({ length: map.queries }, (_v, q) => {
    let best = 0;
    for (let k = 1; k < map.keys; k++)
      if (map.weights[(head * map.queries + q) * map.keys + k]! > map.weights[(head * map.queries + q) * map.keys + best]!) best = k;
    const w = map.weights[(head * map.queries + q) * map.keys + best]!;
    return `${q + 1} “${map.tokens[q] ?? q}” → ${best + 1} “${map.tokens[best] ?? best}” (${w.toFixed(2)})`;
  });
}

export function AttentionProbe({ node, title }: { node: string; title: string }) {
  const { client } = useTrainingHandle();
  const step = useThrottled(
    useTraining((s) => s.status.step),
    1000,
  );
  const [input, setInput] = useState<Input>({ sample: 0 });
  const [map, setMap] = useState<{ map?: AttentionMap; error?: string }>({});
  const [head, setHead] = useState<number | 'all'>('all');
  const [sampleText, setSampleText] = useState('1');
  const [typed, setTyped] = useState('');

  const read = useCallback(
    (request: Input) => {
      client()
        .api.attentionMap({ node, ...request })
        .then(
          (m) => setMap({ map: m }),
          (e: unknown) => setMap({ error: message(e) }),
        );
    },
    [client, node],
  );

  useEffect(() => {
    read(input);
    // Read again when the weights move or another input is chosen.
  }, [step, input, read]);

  const m = map.map;
  const heads = m ? (head === 'all' ? Array.from({ length: m.heads }, (_v, h) => h) : [Math.min(head, m.heads - 1)]) : [];
  const pickSample = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(sampleText);
    if (Number.isInteger(n) && n >= 1) setInput({ sample: n - 1 });
  };
  return (
    <div className="attention-probe" role="group" aria-label={`Attention map of ${title}`}>
      <div className="attention-controls">
        <form onSubmit={pickSample} className="attention-sample">
          <label>
            <span>Validation sample{m ? ` (1–${m.validation})` : ''}</span>
            <input className="input" type="number" min={1} step={1} value={sampleText} onChange={(e) => setSampleText(e.target.value)} />
          </label>
          <button type="submit" className="btn">
            Show
          </button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (typed) setInput({ text: typed });
          }}
          className="attention-sample"
        >
          <label>
            <span>Or type an input</span>
            <input className="input mono" type="text" value={typed} spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
          </label>
          <button type="submit" className="btn" disabled={!typed}>
            Show
          </button>
        </form>
        {m && m.heads > 1 && (
          <label className="attention-head">
            <span>Head</span>
            <select className="input" value={String(head)} onChange={(e) => setHead(e.target.value === 'all' ? 'all' : Number(e.target.value))}>
              <option value="all">All {m.heads}</option>
              {Array.from({ length: m.heads }, (_v, h) => (
                <option key={h} value={h}>
                  Head {h + 1}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {map.error && (
        <p className="probe-message" role="alert">
          {map.error}
        </p>
      )}
      {m && (
        <>
          <div className="attention-heads">
            {heads.map((h) => (
              <figure key={h} className="attention-head-map">
                <figcaption>
                  Head {h + 1} <span className="muted">· step {m.step}</span>
                </figcaption>
                <AttentionHeatmap
                  weights={m.weights.subarray(h * m.queries * m.keys, (h + 1) * m.queries * m.keys)}
                  queries={m.queries}
                  keys={m.keys}
                  tokens={m.tokens}
                  title={`${title} head ${h + 1}`}
                />
              </figure>
            ))}
          </div>
          <details className="attention-text">
            <summary>Strongest key per query{heads.length > 1 ? ' (head 1)' : ''}</summary>
            <ol>
              {strongest(m, heads[0]!).map((s, i) => (
                <li key={i} className="mono">
                  {s}
                </li>
              ))}
            </ol>
          </details>
        </>
      )}
    </div>
  );
}
