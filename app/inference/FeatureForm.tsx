/**
 * One labelled field per input value (CSV columns, Iris measurements, a point's x and y). Pasting a
 * row ("5.1, 3.5, 1.4, 0.2" or tab-separated from a spreadsheet) into a field fills it and the
 * fields after it.
 */
import { useState, type FormEvent } from 'react';

export function FeatureForm({
  names,
  initial,
  units,
  onSubmit,
}: {
  names: readonly string[];
  initial?: Float32Array;
  units?: string;
  onSubmit: (values: Float32Array) => void;
}) {
  const [text, setText] = useState<string[]>(() => names.map((_n, i) => (initial ? String(Number(initial[i]!.toPrecision(4))) : '')));
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const values = text.map((t) => (t.trim() === '' ? NaN : Number(t)));
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return setError(`${names[bad]}: "${text[bad]}" is not a number`);
    setError(undefined);
    onSubmit(Float32Array.from(values));
  };
  const paste = (i: number, clip: string) => {
    const cells = clip.trim().split(/[\s,;]+/);
    if (cells.length < 2) return false;
    setText((t) => t.map((v, k) => (k >= i && k - i < cells.length ? cells[k - i]! : v)));
    return true;
  };
  return (
    <form className="feature-form" onSubmit={submit} aria-label="Input values">
      <div className="feature-fields">
        {names.map((name, i) => (
          <label key={`${i}:${name}`} className="feature-field">
            <span>{name}</span>
            <input
              type="text"
              inputMode="decimal"
              value={text[i] ?? ''}
              aria-invalid={error?.startsWith(`${name}:`) || undefined}
              onChange={(e) => setText((t) => t.map((v, k) => (k === i ? e.target.value : v)))}
              onPaste={(e) => paste(i, e.clipboardData.getData('text')) && e.preventDefault()}
            />
          </label>
        ))}
      </div>
      {units && <p className="field-hint">{units}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn">
        Predict
      </button>
    </form>
  );
}
