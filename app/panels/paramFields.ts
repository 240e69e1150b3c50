/**
 * Inspector fields generated from a node's params schema (zod 4): numbers get number inputs,
 * booleans checkboxes, enums selects, strings text inputs; anything else (arrays such as shapes,
 * initializer objects, unions) a JSON text field. Values typed by a person are parsed here.
 */

/** The control a param is edited with. */
export type Control =
  | { readonly kind: 'number'; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'text' }
  | { readonly kind: 'json' };

export interface FieldSpec {
  readonly key: string;
  readonly control: Control;
  /** The param may be left out (an empty field removes it). */
  readonly optional: boolean;
}

/** The bits of zod 4's schema objects that introspection reads. */
interface SchemaLike {
  readonly def?: { readonly type?: string; readonly innerType?: SchemaLike; readonly in?: SchemaLike; readonly shape?: unknown };
  readonly shape?: Readonly<Record<string, SchemaLike>>;
  readonly options?: readonly unknown[];
  readonly minValue?: number | null;
  readonly maxValue?: number | null;
  readonly isInt?: boolean;
}

const finite = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);

/** Strips default/optional/nullable/pipe wrappers; says whether the value may be absent. */
function unwrap(schema: SchemaLike): { inner: SchemaLike; optional: boolean } {
  let inner = schema;
  let optional = false;
  for (let depth = 0; depth < 10; depth++) {
    const type = inner.def?.type;
    if (type === 'optional') optional = true;
    if ((type === 'default' || type === 'prefault' || type === 'optional' || type === 'nullable' || type === 'readonly') && inner.def?.innerType) {
      inner = inner.def.innerType;
    } else if (type === 'pipe' && inner.def?.in) {
      inner = inner.def.in;
    } else break;
  }
  return { inner, optional };
}

function controlFor(schema: SchemaLike | undefined, value: unknown): Control {
  if (schema === undefined) {
    if (typeof value === 'number') return { kind: 'number', integer: false };
    if (typeof value === 'boolean') return { kind: 'boolean' };
    if (typeof value === 'string') return { kind: 'text' };
    return { kind: 'json' };
  }
  switch (schema.def?.type) {
    case 'number': {
      const min = finite(schema.minValue);
      const max = finite(schema.maxValue);
      return { kind: 'number', integer: schema.isInt === true, ...(min !== undefined && { min }), ...(max !== undefined && { max }) };
    }
    case 'boolean':
      return { kind: 'boolean' };
    case 'enum':
      return { kind: 'enum', options: (schema.options ?? []).map(String) };
    case 'string':
      return { kind: 'text' };
    default:
      return { kind: 'json' };
  }
}

/** One field per param: the schema's keys in order, then any extra keys the values carry. */
export function fieldsFor(schema: unknown, values: Readonly<Record<string, unknown>>): FieldSpec[] {
  const shape = (schema as SchemaLike | undefined)?.shape ?? {};
  const keys = [...Object.keys(shape), ...Object.keys(values).filter((k) => !Object.hasOwn(shape, k))];
  return keys.map((key) => {
    const field = Object.hasOwn(shape, key) ? unwrap(shape[key]) : undefined;
    return { key, control: controlFor(field?.inner, values[key]), optional: field?.optional ?? false };
  });
}

/** JSON on one line with a space after each comma and colon: `[28, 28, 1]`, `{"kind": "zeros"}`. */
export function compactJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compactJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** What a field shows for a value. */
export function formatValue(control: Control, value: unknown): string {
  if (value === undefined) return '';
  if (control.kind === 'json') return compactJson(value);
  return String(value);
}

/** A parsed field: a value (undefined = remove the param), or a message for the field. */
export type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** Turns what a person typed into a param value; schema checks (ranges, enums) come after this. */
export function parseInput(control: Control, text: string, optional: boolean): Parsed {
  const trimmed = text.trim();
  if (trimmed === '' && control.kind !== 'text') {
    return optional ? { ok: true, value: undefined } : { ok: false, message: 'A value is required.' };
  }
  switch (control.kind) {
    case 'number': {
      const n = Number(trimmed);
      if (!Number.isFinite(n)) return { ok: false, message: 'Enter a number.' };
      if (control.integer && !Number.isInteger(n)) return { ok: false, message: 'Enter a whole number.' };
      return { ok: true, value: n };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(trimmed) };
      } catch {
        return { ok: false, message: 'Enter JSON, e.g. [28, 28, 1] or {"kind": "zeros"}.' };
      }
    case 'boolean':
      return { ok: true, value: trimmed === 'true' };
    default:
      return { ok: true, value: text };
  }
}
