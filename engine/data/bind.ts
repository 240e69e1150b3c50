/** Input nodes read dataset fields by name; these checks say which node and field disagree, and how. */
import type { GraphDocument } from '../graph/document';
import type { GraphError } from '../graph/errors';
import { nodeName } from '../graph/errors';
import type { Dataset } from './dataset';

const fmt = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const count = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

/** The Input nodes of a document with their field, shape and dtype (defaults filled in). */
export function inputBindings(doc: GraphDocument): { node: string; name: string; field: string; shape: number[]; dtype: 'f32' | 'i32' }[] {
  return doc.nodes
    .filter((n) => n.type === 'Input')
    .map((n) => {
      const p = n.params as { field?: string; shape?: number[]; dtype?: 'f32' | 'i32' };
      return { node: n.id, name: nodeName(n), field: p.field ?? 'x', shape: p.shape ?? [1], dtype: p.dtype ?? 'f32' };
    });
}

/**
 * One error per Input node whose field is missing from the dataset or holds another size or dtype.
 * An Input may read a field in another shape with the same number of elements (e.g. [784] from
 * [28, 28, 1]): the batch is the same bytes, so it acts as a reshape.
 */
export function bindingErrors(doc: GraphDocument, ds: Dataset): GraphError[] {
  const errors: GraphError[] = [];
  const have = Object.entries(ds.fields)
    .map(([f, s]) => `${f} ${fmt(s.shape)} ${s.dtype}`)
    .join(', ');
  for (const b of inputBindings(doc)) {
    const spec = ds.fields[b.field];
    if (!spec) {
      errors.push({
        code: 'missing_input',
        node: b.node,
        param: 'field',
        message: `Input ${b.name} reads field "${b.field}", but the dataset "${ds.name}" has no such field (it has ${have})`,
      });
    } else if (count(spec.shape) !== count(b.shape)) {
      errors.push({
        code: 'shape',
        node: b.node,
        param: 'shape',
        message: `Input ${b.name} declares shape ${fmt(b.shape)} for field "${b.field}", but the dataset "${ds.name}" holds ${fmt(spec.shape)} per sample: set the shape to ${fmt(spec.shape)}`,
      });
    } else if (spec.dtype !== b.dtype) {
      errors.push({
        code: 'dtype',
        node: b.node,
        param: 'dtype',
        message: `Input ${b.name} declares dtype ${b.dtype} for field "${b.field}", but the dataset "${ds.name}" holds ${spec.dtype}: set the dtype to ${spec.dtype}`,
      });
    }
  }
  return errors;
}
