import type { Emitter } from '../ops/builder';
import { OpBuilder } from '../ops/builder';
import { inferOp } from '../ops/defs';
import { lowbias32 } from '../ops/random';
import { ShapeError, type DType, type Shape, type TensorType } from '../ops/types';
import type { GraphDocument } from './document';
import { nodeName, type GraphError } from './errors';
import { getNodeSpec } from './nodes';
import type { LowerContext, LowerInputs, VariableRequest } from './spec';
import { incoming, topologicalOrder } from './structure';
import { isFrozen } from './trainable';

/** What lowering needs from whoever holds the values: a graph, the shape-only checker, eager tensors. */
export interface LowerHost<T> {
  readonly emitter: Emitter<T>;
  /** A batch of a dataset field; `shape` includes the batch dim. Called once per field. */
  input(field: string, shape: Shape, dtype: DType): T;
  /**
   * A persistent variable named `<node id>/<request name>`. `frozen`: a parameter (trainable
   * request) of a node whose Trainable switch is off, so it gets no gradient and no update.
   */
  variable(name: string, request: VariableRequest, frozen: boolean): T;
  /** The per-step counter scalar (i32) that random ops read. */
  counter(): T;
  /** Called before and after each document node lowers, so hosts can tag what it emits. */
  enterNode?(nodeId: string | undefined): void;
}

export interface LowerOptions {
  readonly training: boolean;
  readonly batchSize: number;
  /** The document seed; each node's random draws derive from it and the node id. */
  readonly seed: number;
}

/** A document as values of the host: per-node outputs plus what training needs. */
export interface Lowered<T> {
  /** Output values by node id, then port name. */
  readonly outputs: Map<string, Readonly<Record<string, T>>>;
  readonly losses: readonly { readonly node: string; readonly value: T }[];
  readonly metrics: readonly { readonly node: string; readonly value: T }[];
  /** Dataset fields the graph reads, with their batched types. */
  readonly inputs: ReadonlyMap<string, { readonly value: T; readonly type: TensorType; readonly nodes: string[] }>;
  /** Every variable nodes asked for; `frozen` as in LowerHost.variable. */
  readonly variables: readonly {
    readonly node: string;
    readonly name: string;
    readonly request: VariableRequest;
    readonly frozen: boolean;
    readonly value: T;
  }[];
  /** Non-gradient state updates (batch-norm running statistics), applied after each training step. */
  readonly assigns: readonly { readonly name: string; readonly value: T }[];
  /** Shape and dtype errors, each naming its node. Nodes downstream of an error are skipped silently. */
  readonly errors: readonly GraphError[];
}

/** FNV-1a of a string, for per-node seeds. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Lower every node of a document to ops on `host`, in dependency order. Structural problems
 * (unknown types, bad params, dangling edges, cycles) are checkStructure's to report: such nodes
 * and everything downstream are skipped here.
 */
export function lowerDocument<T>(doc: GraphDocument, host: LowerHost<T>, opts: LowerOptions): Lowered<T> {
  const b = new OpBuilder(host.emitter);
  const byId = new Map<string, (typeof doc.nodes)[number]>();
  for (const n of doc.nodes) if (!byId.has(n.id)) byId.set(n.id, n); // the first of repeated ids, as structure.ts resolves them
  const edgesIn = incoming(doc);
  const outputs = new Map<string, Readonly<Record<string, T>>>();
  const losses: { node: string; value: T }[] = [];
  const metrics: { node: string; value: T }[] = [];
  const inputs = new Map<string, { value: T; type: TensorType; nodes: string[] }>();
  const variables: { node: string; name: string; request: VariableRequest; frozen: boolean; value: T }[] = [];
  const assigns: { name: string; value: T }[] = [];
  const errors: GraphError[] = [];
  let counter: T | undefined;

  for (const id of topologicalOrder(doc)) {
    const node = byId.get(id)!;
    const spec = getNodeSpec(node.type);
    if (!spec) continue;
    const parsed = spec.params.safeParse(node.params);
    if (!parsed.success) continue;

    const values: Record<string, T | readonly T[]> = {};
    let blocked = false;
    for (const port of spec.inputs) {
      const edges = edgesIn.get(id)?.get(port.name) ?? [];
      const vals = edges.map((e) => outputs.get(e.from.node)?.[e.from.port]);
      if (vals.some((v) => v === undefined) || (!port.optional && edges.length === 0)) {
        blocked = true;
        break;
      }
      if (edges.length) values[port.name] = port.multiple ? (vals as T[]) : (vals[0] as T);
    }
    if (blocked) continue;

    const ctx: LowerContext<T> = {
      b,
      training: opts.training,
      input(field, shape, dtype) {
        const full = [opts.batchSize, ...shape];
        const prev = inputs.get(field);
        if (prev) {
          const same = prev.type.dtype === dtype && prev.type.shape.length === full.length && prev.type.shape.every((d, i) => d === full[i]);
          if (!same) throw new ShapeError(`field "${field}" is already read as [${prev.type.shape.slice(1).join(', ')}] ${prev.type.dtype}`);
          prev.nodes.push(id);
          return prev.value;
        }
        const value = host.input(field, full, dtype);
        inputs.set(field, { value, type: { shape: full, dtype }, nodes: [id] });
        return value;
      },
      variable(request) {
        const name = `${id}/${request.name}`;
        const frozen = request.trainable && isFrozen(node);
        const value = host.variable(name, request, frozen);
        variables.push({ node: id, name, request, frozen, value });
        return value;
      },
      assign(name, value) {
        assigns.push({ name: `${id}/${name}`, value });
      },
      counter: () => (counter ??= host.counter()),
      seed: () => lowbias32(opts.seed ^ hashString(id)),
    };

    host.enterNode?.(id);
    try {
      const out = spec.lower(ctx, values as LowerInputs<T>, parsed.data);
      outputs.set(id, out);
      if (spec.role === 'loss' && out.loss !== undefined) losses.push({ node: id, value: out.loss });
      if (spec.role === 'metric' && out.value !== undefined) metrics.push({ node: id, value: out.value });
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      errors.push({ code: e.kind, node: id, message: `${nodeName(node)}: ${e.message}` });
    } finally {
      host.enterNode?.(undefined);
    }
  }
  return { outputs, losses, metrics, inputs, variables, assigns, errors };
}

/** Emitter whose values are just types: lowering with it is shape inference, with no memory or maths. */
export const typeEmitter: Emitter<TensorType> = {
  emit: (op, inputs, attrs) => inferOp(op, inputs, attrs),
  typeOf: (t) => t,
};
