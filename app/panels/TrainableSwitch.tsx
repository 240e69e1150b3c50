/** The Trainable switch of a node that owns parameters: off freezes them (fine-tuning). */
import { useId } from 'react';
import { formatCount } from '../format/tensors';

export function TrainableSwitch({ trainable, params, onChange }: { trainable: boolean; params: number; onChange: (trainable: boolean) => void }) {
  const id = useId();
  const hint = `${id}-hint`;
  return (
    <div className="field field-boolean">
      <label htmlFor={id} className="field-label">
        Trainable
      </label>
      {/* A native checkbox: Space toggles it; role switch says it takes effect at once. */}
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="checkbox"
        checked={trainable}
        aria-describedby={hint}
        onChange={(e) => onChange(e.target.checked)}
      />
      <p id={hint} className="muted small trainable-hint">
        {trainable
          ? `Its ${formatCount(params)} parameters train. Switch off to freeze them (fine-tuning).`
          : `Frozen: its ${formatCount(params)} parameters keep their values — no gradient, no optimizer state.`}
      </p>
    </div>
  );
}
