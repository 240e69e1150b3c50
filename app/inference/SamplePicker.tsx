/** Pick a sample of the validation split by number (keyboard friendly), or a random one. */
import { useState, type FormEvent } from 'react';

export function SamplePicker({ count, onPick }: { count: number; onPick: (index: number) => void }) {
  const [text, setText] = useState('1');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(text);
    if (Number.isInteger(n) && n >= 1 && n <= count) onPick(n - 1);
  };
  if (!count) return <p className="field-hint">The validation split is empty: raise it in the Training panel to pick held-out samples.</p>;
  const n = Number(text);
  const valid = Number.isInteger(n) && n >= 1 && n <= count;
  return (
    <form className="sample-picker" onSubmit={submit} aria-label="Validation sample">
      <label className="feature-field">
        <span>Validation sample (1–{count})</span>
        <input type="number" min={1} max={count} step={1} value={text} aria-invalid={!valid || undefined} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="btn" disabled={!valid}>
        Show sample
      </button>
      <button
        type="button"
        className="btn"
        onClick={() => {
          const i = Math.floor(Math.random() * count);
          setText(String(i + 1));
          onPick(i);
        }}
      >
        Random sample
      </button>
    </form>
  );
}
