import type { Emitter } from '../ops/builder';
import { inferOp } from '../ops/defs';
import { ShapeError, type Attrs, type DType, type Op, type Shape, type TensorType } from '../ops/types';

/** A value's id in a Graph: the index of the node that produces it. */
export type ValueId = number;

/** A node of the static graph. Inputs always have smaller ids, so id order is a topological order. */
export type GraphNode =
  | {
      readonly id: ValueId;
      readonly kind: 'op';
      readonly op: Op;
      readonly inputs: readonly ValueId[];
      readonly attrs: Attrs<Op>;
      readonly type: TensorType;
      readonly origin?: string;
    }
  | { readonly id: ValueId; readonly kind: 'input'; readonly name: string; readonly inputs: readonly []; readonly type: TensorType; readonly origin?: string }
  | {
      readonly id: ValueId;
      readonly kind: 'variable';
      readonly name: string;
      readonly inputs: readonly [];
      readonly type: TensorType;
      readonly origin?: string;
    };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A shape error raised while building the graph, with the document node it came from. */
export class GraphBuildError extends ShapeError {
  constructor(
    message: string,
    readonly origin: string | undefined,
    kind: 'shape' | 'dtype' = 'shape',
  ) {
    super(message, kind);
  }
}

/**
 * A static computation graph (the TensorFlow/Theano way): ops are recorded with their inferred
 * types, then differentiated, planned and run many times.
 */
export class Graph implements Emitter<ValueId> {
  readonly nodes: GraphNode[] = [];
  /** Document node being lowered; stamped on every node emitted meanwhile, so errors and probes can name it. */
  origin: string | undefined;

  emit<O extends Op>(op: O, inputs: readonly ValueId[], attrs: Attrs<O>): ValueId {
    let type: TensorType;
    try {
      type = inferOp(
        op,
        inputs.map((i) => this.typeOf(i)),
        attrs,
      );
    } catch (e) {
      if (e instanceof ShapeError) throw new GraphBuildError(e.message, this.origin, e.kind);
      throw e;
    }
    return this.push({ kind: 'op', op, inputs, attrs: attrs as Attrs<Op>, type });
  }

  /** A placeholder fed on every run. */
  input(name: string, shape: Shape, dtype: DType): ValueId {
    return this.push({ kind: 'input', name, inputs: [], type: { shape, dtype } });
  }

  /** A persistent tensor held by the backend between runs (parameters, optimizer state, running stats). */
  variable(name: string, shape: Shape, dtype: DType = 'f32'): ValueId {
    return this.push({ kind: 'variable', name, inputs: [], type: { shape, dtype } });
  }

  typeOf(id: ValueId): TensorType {
    const n = this.nodes[id];
    if (!n) throw new Error(`graph has no value ${id}`);
    return n.type;
  }

  private push(node: DistributiveOmit<GraphNode, 'id'>): ValueId {
    const id = this.nodes.length;
    this.nodes.push({ ...node, id, ...(this.origin !== undefined ? { origin: this.origin } : {}) } as GraphNode);
    return id;
  }
}

/** Ids of every node that `roots` depend on (including the roots), ascending. */
export function ancestors(graph: Graph, roots: Iterable<ValueId>): ValueId[] {
  const seen = new Uint8Array(graph.nodes.length);
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen[id]) continue;
    seen[id] = 1;
    for (const i of graph.nodes[id]!.inputs) stack.push(i);
  }
  const out: ValueId[] = [];
  seen.forEach((s, i) => s && out.push(i));
  return out;
}
