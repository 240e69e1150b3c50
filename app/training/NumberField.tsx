/** A labelled number input that commits on Enter or blur; the caller's check explains a refusal. */
import { useState } from 'react';

export interface NumberFieldProps {
  readonly label: string;
  readonly value: number | undefined;
  /** Returns why the value is refused, or undefined when it was taken. */
  onCommit(v: number | undefined): string | undefined;
  readonly step?: string;
  readonly min?: number;
  readonly max?: number;
  /** One line under the field saying what it means. */
  readonly hint?: string;
  readonly placeholder?: string;
  /** The input's id; by default `train-` and the label. */
  readonly id?: string;
}

export function NumberField({ label, value, onCommit, step = 'any', min, max, hint, placeholder, id: givenId }: NumberFieldProps) {
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const id = givenId ?? `train-${label.replace(/\W+/g, '-').toLowerCase()}`;
  const commit = (raw: string) => {
    const v = raw.trim() === '' ? undefined : Number(raw);
    const problem = v !== undefined && !Number.isFinite(v) ? 'enter a number' : onCommit(v);
    setError(problem);
    if (!problem) setText(undefined);
  };
  const described = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        min={min}
        max={max}
        placeholder={placeholder}
        value={text ?? value ?? ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
