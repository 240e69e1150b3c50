/**
 * The op-level view of a graph: what one layer node lowers to (computed on the page by lowering
 * with a recording emitter — shapes only, no maths) and the backward ops autodiff generated for a
 * selection (from the compiled program in the worker), laid out as a small left-to-right DAG.
 */
import type { OpView } from '../../engine/compile/program';
import type { GraphDocument } from '../../engine/graph/document';
import { lowerDocument, typeEmitter } from '../../engine/graph/lower';
import type { TensorType } from '../../engine/ops/types';

/** A box in the ops view: an op of the selection, or a leaf standing for a value from outside it. */
export interface OpBox {
  readonly id: number;
  readonly label: string;
  readonly shape: readonly number[];
  readonly phase: OpView['phase'] | 'leaf';
  /** For leaves: where the value comes from ("Hidden 1", "variable hidden1/kernel"). */
  readonly detail?: string;
  readonly inputs: readonly number[];
  /** Layout: column (longest path from a leaf) and row within it. */
  readonly column: number;
  readonly row: number;
}

type Value = { readonly id: number; readonly type: TensorType };

/** Every op of the forward graph with its document origin, as the worker's opGraph() would list it. */
export function forwardOps(doc: GraphDocument): OpView[] {
  const ops: OpView[] = [];
  let origin: string | undefined;
  const push = (label: string, kind: OpView['kind'], inputs: number[], type: TensorType): Value => {
    const id = ops.length;
    ops.push({ id, label, kind, origin, inputs, shape: [...type.shape], phase: 'forward' });
    return { id, type };
  };
  lowerDocument<Value>(
    doc,
    {
      emitter: {
        emit: (op, inputs, attrs) =>
          push(
            op,
            'op',
            inputs.map((v) => v.id),
            typeEmitter.emit(
              op,
              inputs.map((v) => v.type),
              attrs,
            ),
          ),
        typeOf: (v) => v.type,
      },
      input: (field, shape, dtype) => push(field, 'input', [], { shape, dtype }),
      variable: (name, req) => push(name, 'variable', [], { shape: req.shape, dtype: 'f32' }),
      counter: () => push('step counter', 'input', [], { shape: [], dtype: 'i32' }),
      enterNode: (id) => (origin = id),
    },
    { training: true, batchSize: doc.training.batchSize, seed: doc.training.seed },
  );
  return ops;
}

/**
 * The ops with `keep` true, plus one leaf per outside value they read, laid out in columns by
 * longest path. `describe` names a leaf's source.
 */
export function layoutOps(all: readonly OpView[], keep: (op: OpView) => boolean, describe: (op: OpView) => string): OpBox[] {
  const byId = new Map(all.map((o) => [o.id, o]));
  const kept = all.filter(keep);
  const inside = new Set(kept.map((o) => o.id));
  const leaves = new Map<number, OpView>();
  for (const o of kept) for (const i of o.inputs) if (!inside.has(i) && byId.has(i)) leaves.set(i, byId.get(i)!);
  const column = new Map<number, number>();
  for (const id of leaves.keys()) column.set(id, 0);
  // Ids are a topological order, so one pass in id order finds longest paths.
  for (const o of [...kept].sort((a, b) => a.id - b.id)) {
    const own = o.kind === 'op' ? 1 : 0;
    column.set(o.id, Math.max(0, ...o.inputs.filter((i) => column.has(i)).map((i) => column.get(i)! + 1)) * own);
  }
  const rows = new Map<number, number>();
  const boxes: OpBox[] = [];
  const place = (o: OpView, phase: OpBox['phase'], detail?: string) => {
    const c = column.get(o.id)!;
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    boxes.push({
      id: o.id,
      label: o.label,
      shape: o.shape,
      phase,
      inputs: phase === 'leaf' ? [] : o.inputs.filter((i) => inside.has(i) || leaves.has(i)),
      column: c,
      row: r,
      ...(detail !== undefined && { detail }),
    });
  };
  for (const o of [...leaves.values()].sort((a, b) => a.id - b.id)) place(o, 'leaf', describe(o));
  for (const o of kept.sort((a, b) => a.id - b.id)) place(o, o.kind === 'op' ? o.phase : 'leaf', o.kind === 'op' ? undefined : o.kind);
  return boxes;
}

/** What a layer node lowers to: its own ops, with the values it reads as leaves. */
export function expandNode(doc: GraphDocument, node: string, name: (nodeId: string) => string): OpBox[] {
  const ops = forwardOps(doc);
  return layoutOps(
    ops,
    (o) => o.origin === node && o.kind !== 'input',
    (o) => (o.kind === 'variable' ? 'parameter' : o.origin ? `from ${name(o.origin)}` : o.kind),
  );
}

/** The backward ops autodiff generated for the selected nodes' ops, with what they read as leaves. */
export function backwardOf(ops: readonly OpView[], nodes: readonly string[], name: (nodeId: string) => string): OpBox[] {
  const selected = new Set(nodes);
  return layoutOps(
    ops,
    (o) => o.phase === 'backward' && o.origin !== undefined && selected.has(o.origin),
    (o) => {
      const where = o.origin ? name(o.origin) : o.kind === 'op' ? 'loss' : o.kind;
      return o.phase === 'backward' ? `gradient from ${where}` : o.kind === 'variable' ? 'parameter' : `forward, ${where}`;
    },
  );
}
