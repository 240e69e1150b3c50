/**
 * A program's weights as a safetensors file, and a file's tensors matched back to a program.
 *
 * Names: variable `<node id>/<name>` is tensor `<node id>.<name>` (`dense1/kernel` → `dense1.kernel`).
 * Optimizer state is optional: slot `<variable>:<slot>` is tensor `<tensor>.<optimizer>_<slot>`
 * (`dense1/kernel:m` of Adam → `dense1.kernel.adam_m`), and the metadata says which optimizer
 * (`wiregrad.optimizer`) and after how many steps (`wiregrad.step`), so a reader that wants only
 * the weights (PyTorch's `load_state_dict(strict=False)`, say) can tell state from weights.
 * Layouts are Wiregrad's (Keras'): a Dense kernel is [in, out], a Conv2D kernel [kh, kw, in/groups, out].
 */
import { decodeTensor, SafetensorsError, writeSafetensors, type SafetensorsFile, type TensorToWrite } from './safetensors';

/** Metadata keys Wiregrad writes. */
export const WEIGHTS_METADATA = {
  format: 'format',
  layout: 'wiregrad.layout',
  optimizer: 'wiregrad.optimizer',
  step: 'wiregrad.step',
} as const;
const LAYOUT = 'keras: Dense kernel [in, out], Conv2D kernel [kh, kw, in/groups, out], images NHWC';

/** A variable of a program: what its weights must look like (Program.variables fits). */
export interface WeightSpec {
  /** `<node id>/<name>`, or `<node id>/<name>:<slot>` for optimizer state. */
  readonly name: string;
  /** The document node that owns it. */
  readonly node?: string;
  readonly shape: readonly number[];
}

/** The tensor name of a variable (see the module comment); `optimizer` is needed for slots. */
export function tensorNameOf(variable: string, optimizer?: string): string {
  const slotAt = variable.indexOf(':');
  const path = slotAt < 0 ? variable : variable.slice(0, slotAt);
  // The last "/" separates the node id (which may hold one) from the variable's own name.
  const cut = path.lastIndexOf('/');
  const param = cut < 0 ? path : `${path.slice(0, cut)}.${path.slice(cut + 1)}`;
  if (slotAt < 0) return param;
  if (!optimizer) throw new Error(`optimizer state ${variable} needs the optimizer's name to be written`);
  return `${param}.${optimizer}_${variable.slice(slotAt + 1)}`;
}

const nodeOf = (spec: WeightSpec) => spec.node ?? spec.name.slice(0, spec.name.lastIndexOf('/'));
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

export interface EncodeOptions {
  /** Optimizer state to include: the optimizer's name and each slot's values by `<variable>:<slot>`. */
  readonly optimizer?: { readonly type: string; readonly step: number; readonly slots: Readonly<Record<string, Float32Array>> };
  /** Extra metadata strings. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The safetensors file of `values` (Program.getWeights) shaped by `specs` (Program.variables).
 * A value without a spec, or of the wrong size, is an error naming the variable.
 */
export function encodeWeights(specs: readonly WeightSpec[], values: Readonly<Record<string, Float32Array>>, options: EncodeOptions = {}): Uint8Array {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const tensors = new Map<string, TensorToWrite>();
  const add = (variable: string, shape: readonly number[], data: Float32Array) => {
    const name = tensorNameOf(variable, options.optimizer?.type);
    if (tensors.has(name)) throw new Error(`two variables would both be written as tensor ${name}`);
    const n = shape.reduce((a, d) => a * d, 1);
    if (data.length !== n) throw new Error(`variable ${variable} has ${data.length} values but its shape ${fmt(shape)} holds ${n}`);
    tensors.set(name, { dtype: 'F32', shape, data });
  };
  for (const [variable, data] of Object.entries(values)) {
    const spec = byName.get(variable);
    if (!spec) throw new Error(`no variable named ${variable} in the program`);
    add(variable, spec.shape, data);
  }
  const metadata: Record<string, string> = { [WEIGHTS_METADATA.format]: 'wiregrad', [WEIGHTS_METADATA.layout]: LAYOUT, ...options.metadata };
  if (options.optimizer) {
    metadata[WEIGHTS_METADATA.optimizer] = options.optimizer.type;
    metadata[WEIGHTS_METADATA.step] = String(options.optimizer.step);
    for (const [slot, data] of Object.entries(options.optimizer.slots)) {
      const param = byName.get(slot.slice(0, slot.indexOf(':')));
      if (!slot.includes(':') || !param) throw new Error(`optimizer state ${slot} belongs to no variable of the program`);
      add(slot, param.shape, data);
    }
  }
  return writeSafetensors(tensors, metadata);
}

/** One thing that did not match, in the user's words. */
export interface WeightProblem {
  readonly message: string;
  /** The document node it concerns, when there is one. */
  readonly node?: string;
  readonly variable?: string;
  readonly tensor?: string;
}

/** How a file's tensors meet a program's variables. */
export interface WeightMatch {
  /** Variables with a tensor of the right shape and a float dtype. */
  readonly matched: readonly { readonly variable: string; readonly tensor: string; readonly node: string }[];
  /** Variables the file has no tensor for. */
  readonly missing: readonly WeightProblem[];
  /** Tensors no variable asked for. */
  readonly unexpected: readonly WeightProblem[];
  /** Tensors found under a variable's name but shaped differently. */
  readonly shapeMismatches: readonly WeightProblem[];
  /** Tensors found under a variable's name, of the right shape, but of an integer dtype. */
  readonly typeMismatches: readonly WeightProblem[];
}

const FLOAT_DTYPES = new Set(['F32', 'F16', 'BF16', 'F64']);

/**
 * Match a file's tensors to `specs` by name (see the module comment) and shape. Pure: reads only
 * the header. Slot specs (`<variable>:<slot>`) match when `optimizer` (default: the file's
 * `wiregrad.optimizer`) names the optimizer that wrote them.
 */
export function matchWeights(
  specs: readonly WeightSpec[],
  file: SafetensorsFile,
  optimizer: string | undefined = file.metadata.get(WEIGHTS_METADATA.optimizer),
): WeightMatch {
  const matched: { variable: string; tensor: string; node: string }[] = [];
  const missing: WeightProblem[] = [];
  const shapeMismatches: WeightProblem[] = [];
  const typeMismatches: WeightProblem[] = [];
  const used = new Set<string>();
  for (const spec of specs) {
    const node = nodeOf(spec);
    const isSlot = spec.name.includes(':');
    if (isSlot && !optimizer) {
      missing.push({ message: `node "${node}": the file has no optimizer state for ${spec.name}`, node, variable: spec.name });
      continue;
    }
    const tensor = tensorNameOf(spec.name, optimizer);
    const t = file.tensors.get(tensor);
    if (!t) {
      missing.push({ message: `node "${node}": the file has no tensor "${tensor}" for ${spec.name} ${fmt(spec.shape)}`, node, variable: spec.name, tensor });
      continue;
    }
    used.add(tensor);
    if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
      shapeMismatches.push({
        message: `node "${node}": tensor "${tensor}" is ${fmt(t.shape)} but ${spec.name} is ${fmt(spec.shape)}`,
        node,
        variable: spec.name,
        tensor,
      });
    } else if (!FLOAT_DTYPES.has(t.dtype)) {
      typeMismatches.push({
        message: `node "${node}": tensor "${tensor}" holds ${t.dtype} values but ${spec.name} is float32`,
        node,
        variable: spec.name,
        tensor,
      });
    } else matched.push({ variable: spec.name, tensor, node });
  }
  const unexpected = [...file.tensors.keys()]
    .filter((name) => !used.has(name))
    .map((tensor) => ({ message: `tensor "${tensor}" matches no variable of this graph`, tensor }));
  return { matched, missing, unexpected, shapeMismatches, typeMismatches };
}

/** The matched variables' values as float32 (for Program.setWeights); decoding errors name the tensor. */
export function matchedValues(file: SafetensorsFile, match: WeightMatch): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const { variable, tensor } of match.matched) {
    const decoded = decodeTensor(file.tensors.get(tensor)!);
    if (decoded.dtype !== 'f32') throw new SafetensorsError(`tensor "${tensor}" is not a float tensor`, tensor);
    out[variable] = decoded.data;
  }
  return out;
}
