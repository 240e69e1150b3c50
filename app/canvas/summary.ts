/** Short text shown on a node: its key settings, shapes and parameter count. */

const pair = (v: unknown): string => (Array.isArray(v) ? v.join('×') : typeof v === 'number' ? `${v}×${v}` : String(v));
const dims = (v: unknown): string => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
const isDefaultStride = (v: unknown) => v === undefined || v === 1 || (Array.isArray(v) && v.every((d) => d === 1));
/** The activation when it is not the default ('linear', also when the document leaves it out). */
const activationOf = (v: unknown) => v !== undefined && v !== 'linear' && String(v);
const kindOf = (v: unknown): string => (typeof v === 'object' && v !== null && 'kind' in v ? String((v as { kind: unknown }).kind) : '');

type Params = Readonly<Record<string, unknown>>;

/** Per node type: the settings a person wants to see without opening the inspector. */
const SUMMARIES: Readonly<Record<string, (p: Params) => (string | false | undefined)[]>> = {
  Input: (p) => [`field ${String(p.field ?? 'x')}`],
  Parameter: (p) => [dims(p.shape), kindOf(p.init), p.trainable === false && 'frozen'],
  Constant: (p) => [dims(p.shape), Array.isArray(p.values) ? `${p.values.length} values` : `= ${String(p.value ?? 0)}`],
  Dense: (p) => [`${String(p.units)} units`, activationOf(p.activation)],
  Conv2D: (p) => [
    `${String(p.filters)} × ${pair(p.kernelSize)}`,
    !isDefaultStride(p.strides) && `stride ${pair(p.strides)}`,
    String(p.padding ?? 'valid'),
    activationOf(p.activation),
  ],
  MaxPool2D: (p) => [pair(p.poolSize ?? 2), p.strides !== undefined && `stride ${pair(p.strides)}`, String(p.padding ?? 'valid')],
  AvgPool2D: (p) => [pair(p.poolSize ?? 2), p.strides !== undefined && `stride ${pair(p.strides)}`, String(p.padding ?? 'valid')],
  Dropout: (p) => [`rate ${String(p.rate)}`],
  Reshape: (p) => [dims(p.targetShape)],
  reshape: (p) => [dims(p.shape)],
  Embedding: (p) => [`${String(p.inputDim)} → ${String(p.outputDim)}`],
  SoftmaxCrossEntropy: (p) => [`${String(p.labels ?? 'sparse')} labels`],
  Accuracy: (p) => [`${String(p.labels ?? 'sparse')} labels`],
  cast: (p) => [`to ${String(p.dtype)}`],
  one_hot: (p) => [`depth ${String(p.depth)}`],
};

/** Scalar params shown as `key=value` for node types without their own summary. */
function genericSummary(p: Params): string[] {
  return Object.entries(p)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string' || (typeof v === 'boolean' && v))
    .slice(0, 3)
    .map(([k, v]) => (typeof v === 'boolean' ? k : `${k}=${String(v)}`));
}

/** One line, items joined by " · ": "256 units · relu". */
export function summarizeParams(type: string, params: Params): string {
  const f = SUMMARIES[type];
  const parts = f ? f(params) : genericSummary(params);
  return parts.filter((x): x is string => typeof x === 'string' && x !== '').join(' · ');
}
