/** Small labelled inputs for dataset options: numbers commit on Enter or blur, selects at once. */
import { useId } from 'react';
import { NumberField, type NumberFieldProps } from '../training/NumberField';

/** A number field with an id of its own (the options of two dataset kinds may share a label). */
export function NumberInput(props: Omit<NumberFieldProps, 'id' | 'hint'>) {
  return <NumberField {...props} id={useId()} />;
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
