/** Small labelled inputs for dataset options: numbers commit on Enter or blur, selects at once. */
import { useId, useState } from 'react';

export function NumberInput({
  label,
  value,
  onCommit,
  min,
  max,
  step = 'any',
  placeholder,
}: {
  label: string;
  value: number | undefined;
  onCommit: (v: number | undefined) => string | undefined;
  min?: number;
  max?: number;
  step?: string;
  placeholder?: string;
}) {
  const id = useId();
  const [text, setText] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const commit = (raw: string) => {
    const v = raw.trim() === '' ? undefined : Number(raw);
    const problem = v !== undefined && !Number.isFinite(v) ? 'enter a number' : onCommit(v);
    setError(problem);
    if (!problem) setText(undefined);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        step={step}
        min={min}
        max={max}
        placeholder={placeholder}
        value={text ?? value ?? ''}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={(e) => commit(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && commit((e.target as HTMLInputElement).value)}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function SelectInput<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: readonly (readonly [T, string])[];
  onChange: (v: T) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map(([k, text]) => (
          <option key={k} value={k}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
