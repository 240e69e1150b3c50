/**
 * A predict request's body (TF Serving's REST format) checked against the model's signature and
 * turned into tensors, and the answer turned back into JSON. Row format: {"instances": [...]}, one
 * entry per sample — the tensor itself when the model has one input, else {"name": tensor}; answered
 * with {"predictions": [...]}. Columnar: {"inputs": tensor or {"name": tensor}}, batch first;
 * answered with {"outputs": ...}. Every refusal is a RequestError naming the field.
 */
import { sampleSize, type NamedTensors, type TensorSignature } from './runner';

/** A request the server refuses: HTTP status and a message naming the field. */
export class RequestError extends Error {
  constructor(
    readonly status: 400 | 404 | 405 | 413 | 415 | 503,
    message: string,
  ) {
    super(message);
  }
}

export interface PredictInput {
  readonly tensors: NamedTensors;
  /** Samples in the request. */
  readonly n: number;
  readonly format: 'row' | 'columnar';
  /** True when the inputs came by name (objects), as the answer then also is for several outputs. */
  readonly named: boolean;
}

/** The largest finite float32. */
const F32_MAX = 3.4028234663852886e38;
const DT = { f32: 'DT_FLOAT', i32: 'DT_INT32' } as const;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const fmtShape = (s: readonly number[]) => `[${s.join(', ')}]`;

/** The shape a JSON value has, following first elements (a scalar has []). */
function shapeOf(v: unknown): number[] {
  const s: number[] = [];
  while (Array.isArray(v)) {
    s.push(v.length);
    v = v[0];
  }
  return s;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/**
 * Write `value` (nested arrays of `shape`) into `out` from `at`, checking shape, type and range;
 * `path` names the value in errors, `whole` its whole tensor (for the shape it has).
 */
function fill(
  value: unknown,
  shape: readonly number[],
  sig: TensorSignature,
  path: string,
  out: Float32Array | Int32Array,
  at: number,
  whole: { path: string; shape: readonly number[] },
): number {
  /** The shape met: the dimensions that matched down to here, then this value's own. */
  const wrongShape = () => {
    const got = [...whole.shape.slice(0, whole.shape.length - shape.length), ...shapeOf(value)];
    return new RequestError(400, `${whole.path}: expected shape ${fmtShape(whole.shape)}, got ${fmtShape(got)}${path === whole.path ? '' : ` (at ${path})`}`);
  };
  if (shape.length === 0) {
    if (typeof value !== 'number') {
      if (Array.isArray(value)) throw wrongShape();
      throw new RequestError(400, `${path}: expected a number (${DT[sig.dtype]}), got ${describe(value)}`);
    }
    if (!Number.isFinite(value) || (sig.dtype === 'f32' && Math.abs(value) > F32_MAX))
      throw new RequestError(400, `${path}: ${value} is not a finite ${sig.dtype === 'f32' ? 'float32' : 'int32'} (NaN and Infinity are refused)`);
    if (sig.dtype === 'i32' && !(Number.isInteger(value) && value >= -2147483648 && value <= 2147483647))
      throw new RequestError(400, `${path}: expected an integer (DT_INT32), got ${value}`);
    out[at] = value;
    return at + 1;
  }
  if (shape.length === 1 && Array.isArray(value) && value.length === shape[0]) {
    // The innermost dimension, the hot loop: plain numbers in range go straight in.
    const limit = sig.dtype === 'f32' ? F32_MAX : 2147483647;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v !== 'number' || !(v >= -limit && v <= limit) || (sig.dtype === 'i32' && !Number.isInteger(v))) {
        fill(v, [], sig, `${path}[${i}]`, out, at + i, whole); // says what is wrong with it
      }
      out[at + i] = v as number;
    }
    return at + value.length;
  }
  if (!Array.isArray(value) || value.length !== shape[0]) {
    if (!Array.isArray(value)) throw new RequestError(400, `${path}: expected an array of ${shape[0]} (shape ${fmtShape(shape)}), got ${describe(value)}`);
    throw wrongShape();
  }
  for (let i = 0; i < value.length; i++) at = fill(value[i], shape.slice(1), sig, `${path}[${i}]`, out, at, whole);
  return at;
}

function tensor(sig: TensorSignature, n: number): Float32Array | Int32Array {
  return sig.dtype === 'i32' ? new Int32Array(n * sampleSize(sig)) : new Float32Array(n * sampleSize(sig));
}

function checkSignature(body: Record<string, unknown>): void {
  const name = body.signature_name;
  if (name !== undefined && name !== '' && name !== 'serving_default')
    throw new RequestError(400, `signature_name: this model has one signature, "serving_default", not ${JSON.stringify(name)}`);
  const unknown = Object.keys(body).filter((k) => !['signature_name', 'instances', 'inputs'].includes(k));
  if (unknown.length)
    throw new RequestError(
      400,
      `${unknown.map((k) => JSON.stringify(k)).join(', ')}: not a predict request field (it takes "instances" or "inputs", and "signature_name")`,
    );
}

function checkCount(n: number, field: string, maxInstances: number): void {
  if (n === 0) throw new RequestError(400, `${field}: no instances to predict`);
  if (n > maxInstances) throw new RequestError(413, `${field}: ${n} instances, over the limit of ${maxInstances} per request`);
}

/** The body of a predict request as tensors for `inputs`; throws RequestError naming what is wrong. */
export function parsePredict(body: unknown, inputs: readonly TensorSignature[], maxInstances: number): PredictInput {
  if (!isObject(body))
    throw new RequestError(400, `the body must be a JSON object with "instances" (row format) or "inputs" (columnar format), not ${describe(body)}`);
  checkSignature(body);
  const hasRows = 'instances' in body;
  const hasCols = 'inputs' in body;
  if (hasRows === hasCols)
    throw new RequestError(400, hasRows ? 'give "instances" or "inputs", not both' : 'the body needs "instances" (row format) or "inputs" (columnar format)');
  const single = inputs.length === 1 ? inputs[0]! : undefined;
  const names = inputs.map((i) => i.name).join(', ');

  if (hasRows) {
    const rowsIn = body.instances;
    if (!Array.isArray(rowsIn)) throw new RequestError(400, `instances: expected a list with one entry per sample, got ${describe(rowsIn)}`);
    const n = rowsIn.length;
    checkCount(n, 'instances', maxInstances);
    const named = isObject(rowsIn[0]);
    if (!named && !single)
      throw new RequestError(400, `instances[0]: this model has ${inputs.length} inputs (${names}): give each instance as an object {"name": value}`);
    const tensors = Object.fromEntries(inputs.map((s) => [s.name, tensor(s, n)]));
    for (let r = 0; r < n; r++) {
      const row = rowsIn[r];
      if (named !== isObject(row))
        throw new RequestError(400, `instances[${r}]: ${named ? 'expected an object like instances[0]' : 'expected a value like instances[0], not an object'}`);
      for (const sig of inputs) {
        let value: unknown = row;
        let path = `instances[${r}]`;
        if (named) {
          const obj = row as Record<string, unknown>;
          const extra = Object.keys(obj).filter((k) => !inputs.some((i) => i.name === k));
          if (extra.length) throw new RequestError(400, `instances[${r}].${extra[0]}: this model has no input named "${extra[0]}" (its inputs: ${names})`);
          if (!(sig.name in obj)) throw new RequestError(400, `instances[${r}].${sig.name}: missing (the model's inputs: ${names})`);
          value = obj[sig.name];
          path = `instances[${r}].${sig.name}`;
        }
        fill(value, sig.shape, sig, path, tensors[sig.name]!, r * sampleSize(sig), { path, shape: sig.shape });
      }
    }
    return { tensors, n, format: 'row', named };
  }

  const cols = body.inputs;
  const named = isObject(cols);
  if (!named && !single) throw new RequestError(400, `inputs: this model has ${inputs.length} inputs (${names}): give them as an object {"name": tensor}`);
  const byName: Record<string, unknown> = named ? (cols as Record<string, unknown>) : { [single!.name]: cols };
  const extra = Object.keys(byName).filter((k) => !inputs.some((i) => i.name === k));
  if (extra.length) throw new RequestError(400, `inputs.${extra[0]}: this model has no input named "${extra[0]}" (its inputs: ${names})`);
  let n: number | undefined;
  const tensors: Record<string, Float32Array | Int32Array> = {};
  for (const sig of inputs) {
    const path = named ? `inputs.${sig.name}` : 'inputs';
    const value = byName[sig.name];
    if (value === undefined) throw new RequestError(400, `${path}: missing (the model's inputs: ${names})`);
    if (!Array.isArray(value)) throw new RequestError(400, `${path}: expected a tensor of shape [batch, ${sig.shape.join(', ')}], got ${describe(value)}`);
    if (n === undefined) checkCount(value.length, path, maxInstances);
    else if (value.length !== n) throw new RequestError(400, `${path}: ${value.length} samples, but ${inputs[0]!.name} has ${n}`);
    n = value.length;
    tensors[sig.name] = tensor(sig, n);
    fill(value, [n, ...sig.shape], sig, path, tensors[sig.name]!, 0, { path, shape: [n, ...sig.shape] });
  }
  return { tensors, n: n!, format: 'columnar', named };
}

/** Rows of `data` ([n, ...shape], row-major) as nested arrays. */
function nested(data: Float32Array | Int32Array, shape: readonly number[], at = 0): unknown {
  if (!shape.length) return data[at];
  const inner = shape.slice(1).reduce((a, d) => a * d, 1);
  return Array.from({ length: shape[0]! }, (_v, i) => nested(data, shape.slice(1), at + i * inner));
}

/** The answer in the request's format: {"predictions"} for rows, {"outputs"} for columns. */
export function formatPredict(out: NamedTensors, outputs: readonly TensorSignature[], input: PredictInput): Record<string, unknown> {
  const single = outputs.length === 1 ? outputs[0]! : undefined;
  if (input.format === 'columnar') {
    const col = (s: TensorSignature) => nested(out[s.name]!, [input.n, ...s.shape]);
    return { outputs: single ? col(single) : Object.fromEntries(outputs.map((s) => [s.name, col(s)])) };
  }
  const per = outputs.map((s) => nested(out[s.name]!, [input.n, ...s.shape]) as unknown[]);
  return { predictions: single ? per[0] : Array.from({ length: input.n }, (_v, r) => Object.fromEntries(outputs.map((s, k) => [s.name, per[k]![r]]))) };
}
