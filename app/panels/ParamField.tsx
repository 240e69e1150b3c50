/**
 * One inspector field. Text-like fields validate as you type and commit on Enter or leaving the
 * field; selects and checkboxes commit at once. A rejected value stays in the field, marked
 * invalid with its message, and never reaches the document.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { formatValue, parseInput, type FieldSpec, type Parsed } from './paramFields';

export interface ParamFieldProps {
  readonly field: FieldSpec;
  readonly value: unknown;
  /** Why `value` would be refused for this field, or undefined if it is fine. */
  check(key: string, value: unknown): string | undefined;
  commit(key: string, value: unknown): void;
}

export function ParamField({ field, value, check, commit }: ParamFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const { control, key, optional } = field;
  const shown = formatValue(control, value);
  const [draft, setDraft] = useState(shown);
  const [error, setError] = useState<string | undefined>();
  // When the document changes under the field (undo, another edit), show the new value.
  const [lastShown, setLastShown] = useState(shown);
  if (lastShown !== shown) {
    setLastShown(shown);
    setDraft(shown);
    setError(undefined);
  }

  const evaluate = (text: string): Parsed => {
    const parsed = parseInput(control, text, optional);
    if (!parsed.ok) return parsed;
    const problem = check(key, parsed.value);
    return problem === undefined ? parsed : { ok: false, message: problem };
  };
  const edit = (text: string, now: boolean) => {
    setDraft(text);
    const result = evaluate(text);
    setError(result.ok ? undefined : result.message);
    if (now && result.ok && text !== shown) commit(key, result.value);
  };
  const commitDraft = () => {
    const result = evaluate(draft);
    if (result.ok && draft !== shown) commit(key, result.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commitDraft();
    if (event.key === 'Escape') edit(shown, false);
  };
  const invalid = { 'aria-invalid': error !== undefined, 'aria-describedby': error !== undefined ? errorId : undefined };

  let input;
  if (control.kind === 'boolean') {
    input = <input id={id} type="checkbox" className="checkbox" checked={value === true} onChange={(e) => edit(String(e.target.checked), true)} {...invalid} />;
  } else if (control.kind === 'enum') {
    input = (
      <select id={id} className="input" value={draft} onChange={(e) => edit(e.target.value, true)} {...invalid}>
        {optional && <option value="">(none)</option>}
        {control.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    const number = control.kind === 'number';
    input = (
      <input
        id={id}
        className={`input${control.kind === 'json' ? ' mono' : ''}`}
        type={number ? 'number' : 'text'}
        step={number ? (control.integer ? 1 : 'any') : undefined}
        min={number ? control.min : undefined}
        max={number ? control.max : undefined}
        placeholder={optional ? '(not set)' : undefined}
        spellCheck={false}
        value={draft}
        onChange={(e) => edit(e.target.value, false)}
        onBlur={commitDraft}
        onKeyDown={onKeyDown}
        {...invalid}
      />
    );
  }

  return (
    <div className={`field field-${control.kind}`}>
      <label htmlFor={id} className="field-label">
        {key}
      </label>
      {input}
      {error !== undefined && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
