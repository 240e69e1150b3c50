/**
 * Reading an ONNX file's tensors and attributes for the importer: initializers and Constant
 * values as plain numbers, attributes by name with defaults, each problem an ImportError naming
 * the tensor or node.
 */
import { ImportError } from '../importDocument';
import { AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from './proto';

/** A constant tensor of the file (an initializer or a Constant node's value). */
export interface ConstTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
  /** Whether it holds integers (INT32/INT64): shapes, axes, pads. */
  readonly integer: boolean;
}

/** Largest tensor the importer reads (2^28 elements, the document limit). */
const MAX_ELEMENTS = 2 ** 28;

const SIZES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.DOUBLE]: 8,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.INT8]: 1,
  [DataType.UINT8]: 1,
  [DataType.BOOL]: 1,
};

/** The values of `t`, read from raw_data or the typed fields; throws ImportError naming the tensor. */
export function readTensor(t: TensorProto & { float_data?: number[]; int32_data?: number[]; int64_data?: number[] }, what: string): ConstTensor {
  const dims = (t.dims ?? []).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new ImportError(`${what} has an invalid shape [${dims.join(', ')}]`, { node: t.name });
  const n = dims.reduce((a, d) => a * d, 1);
  if (n > MAX_ELEMENTS) throw new ImportError(`${what} holds ${n} elements, more than the ${MAX_ELEMENTS} a tensor may`, { node: t.name });
  const type = t.data_type;
  const size = SIZES[type];
  if (size === undefined)
    throw new ImportError(`${what} has data type ${type}, which Wiregrad cannot read (float, double, int8/32/64, uint8 and bool can be)`, { node: t.name });
  const integer = type !== DataType.FLOAT && type !== DataType.DOUBLE;
  const out = new Float64Array(n);
  const raw = t.raw_data;
  if (raw && raw.length > 0) {
    if (raw.length !== n * size)
      throw new ImportError(`${what} has ${raw.length} bytes of data but its shape [${dims.join(', ')}] needs ${n * size}`, { node: t.name });
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      switch (type) {
        case DataType.FLOAT:
          out[i] = v.getFloat32(i * 4, true);
          break;
        case DataType.DOUBLE:
          out[i] = v.getFloat64(i * 8, true);
          break;
        case DataType.INT32:
          out[i] = v.getInt32(i * 4, true);
          break;
        case DataType.INT64:
          out[i] = Number(v.getBigInt64(i * 8, true));
          break;
        case DataType.INT8:
          out[i] = v.getInt8(i);
          break;
        default:
          out[i] = v.getUint8(i);
      }
    }
    return { dims, data: out, integer };
  }
  const typed = type === DataType.FLOAT ? t.float_data : type === DataType.INT64 ? t.int64_data : t.int32_data;
  const values = typed ?? [];
  if (values.length !== n) {
    throw new ImportError(
      `${what} holds ${values.length} values but its shape [${dims.join(', ')}] needs ${n} (is its data stored in another file? Wiregrad reads self-contained .onnx files)`,
      { node: t.name },
    );
  }
  for (let i = 0; i < n; i++) out[i] = Number(values[i]);
  return { dims, data: out, integer };
}

/** The shortest decimal that is the same float32 as `x` (1e-5, not 9.999999747378752e-06). */
export function shortestFloat32(x: number): number {
  const f = Math.fround(x);
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

/** A node's attributes by name, with typed getters that name the node in errors. */
export class Attributes {
  private readonly byName = new Map<string, AttributeProto>();
  constructor(
    private readonly node: NodeProto,
    private readonly label: string,
  ) {
    for (const a of node.attribute ?? []) this.byName.set(a.name, a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (!a) return fallback;
    if (a.type !== AttributeType.INT) throw new ImportError(`${this.label}: attribute ${name} should be an integer`, { node: this.node.name });
    return Number(a.i ?? 0);
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (!a) return fallback;
    if (a.type !== AttributeType.FLOAT) throw new ImportError(`${this.label}: attribute ${name} should be a float`, { node: this.node.name });
    return shortestFloat32(Number(a.f ?? 0));
  }

  ints(name: string, fallback?: readonly number[]): number[] | undefined {
    const a = this.byName.get(name);
    if (!a) return fallback ? [...fallback] : undefined;
    if (a.type !== AttributeType.INTS) throw new ImportError(`${this.label}: attribute ${name} should be a list of integers`, { node: this.node.name });
    return (a.ints ?? []).map(Number);
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    if (!a) return fallback;
    if (a.type !== AttributeType.STRING) throw new ImportError(`${this.label}: attribute ${name} should be a string`, { node: this.node.name });
    return new TextDecoder().decode(a.s ?? new Uint8Array());
  }

  tensor(name: string): TensorProto | undefined {
    const a = this.byName.get(name);
    if (!a) return undefined;
    if (a.type !== AttributeType.TENSOR || !a.t) throw new ImportError(`${this.label}: attribute ${name} should be a tensor`, { node: this.node.name });
    return a.t;
  }
}
