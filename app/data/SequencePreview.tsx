/** A sequence dataset's first samples decoded as text (for tasks, the answer the loss counts is marked), and its vocabulary. */
import type { DatasetPreview } from '../../workers/datasetTypes';

type Sequences = NonNullable<DatasetPreview['sequences']>;

/** How a token reads in the vocabulary list: whitespace and control characters by a visible sign. */
export function showToken(t: string): string {
  if (t === '\n') return '⏎';
  if (t === ' ') return '␣';
  if (t === '\t') return '⇥';
  return t;
}

export function SequencePreview({ sequences }: { sequences: Sequences }) {
  return (
    <>
      <ol className="sequence-samples" aria-label="Sample sequences">
        {sequences.samples.map((s, i) => {
          const prompt = s.answer === undefined ? s.text : s.text.slice(0, s.text.length - s.answer.length);
          return (
            <li key={i}>
              <code>
                {prompt.replace(/\n/g, '⏎')}
                {s.answer !== undefined && <mark title="the answer (what the loss counts)">{s.answer}</mark>}
              </code>
            </li>
          );
        })}
      </ol>
      <p className="preview-meta" aria-label="Vocabulary">
        Vocabulary: {sequences.vocab.length} tokens ·{' '}
        <span className="sequence-vocab">
          {sequences.vocab.slice(0, 120).map(showToken).join(' ')}
          {sequences.vocab.length > 120 ? ' …' : ''}
        </span>
      </p>
    </>
  );
}
