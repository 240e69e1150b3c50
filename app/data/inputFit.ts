/**
 * Input nodes against the dataset's fields, on the page: which Inputs do not fit, and the shape or dtype
 * that would make them fit (the worker gives the same verdict at compile time, naming node and field).
 */
import type { DocNode } from '../../engine/graph/document';
import type { FieldSpec } from '../../engine/data/dataset';

const count = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);
const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** One Input that does not fit: what is wrong, and the params that fix it when a fix exists. */
export interface InputMismatch {
  readonly node: string;
  readonly message: string;
  readonly fix?: { readonly shape: number[]; readonly dtype: 'f32' | 'i32' };
}

export function inputMismatches(nodes: readonly DocNode[], fields: Readonly<Record<string, FieldSpec>>): InputMismatch[] {
  const out: InputMismatch[] = [];
  for (const n of nodes) {
    if (n.type !== 'Input') continue;
    const p = n.params as { field?: string; shape?: number[]; dtype?: 'f32' | 'i32' };
    const field = p.field ?? 'x';
    const shape = p.shape ?? [1];
    const dtype = p.dtype ?? 'f32';
    const name = n.label?.trim() || n.id;
    const spec = fields[field];
    if (!spec) {
      out.push({ node: n.id, message: `${name} reads field "${field}", which this dataset does not have (it has ${Object.keys(fields).join(', ')})` });
      continue;
    }
    if (count(shape) === count(spec.shape) && dtype === spec.dtype) continue;
    // A flat Input (an MLP's) stays flat: it takes the field's element count; others take its shape.
    const fixShape = shape.length === 1 && spec.shape.length > 1 ? [count(spec.shape)] : [...spec.shape];
    out.push({
      node: n.id,
      message: `${name} reads "${field}" as ${fmt(shape)} ${dtype}; the data holds ${fmt(spec.shape)} ${spec.dtype}`,
      fix: { shape: fixShape, dtype: spec.dtype },
    });
  }
  return out;
}
