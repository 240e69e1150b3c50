/** The node's label: committed on Enter or leaving the field; empty shows the id instead. */
import { useId, useState } from 'react';

export function LabelField({ value, placeholder, onCommit }: { value: string; placeholder: string; onCommit(label: string): void }) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  const [last, setLast] = useState(value);
  if (last !== value) {
    setLast(value);
    setDraft(value);
  }
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft);
  };
  return (
    <div className="field field-text">
      <label htmlFor={id} className="field-label">
        Label
      </label>
      <input
        id={id}
        className="input"
        value={draft}
        placeholder={placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(value);
        }}
      />
    </div>
  );
}
