/**
 * Structural checks on a parsed document: known types, valid params, edges that connect real
 * ports, no cycles, every required input fed, a loss to train. Finds every problem, never throws.
 */
import type { z } from 'zod';
import type { DocEdge, DocNode, GraphDocument } from './document';
import { formatPath, nodeName, type GraphError } from './errors';
import { getNodeSpec } from './nodes';
import type { NodeSpec, PortSpec } from './spec';

/** What checkStructure asks of a graph. */
export interface StructureOptions {
  /** Require a node with role 'loss' (off for graphs only run forward). Default true. */
  readonly requireLoss?: boolean;
}

/** The node each id names (its first occurrence) and the edges whose both ends exist. */
interface Resolved {
  readonly index: ReadonlyMap<string, number>;
  /** Per node index, the node indices its outgoing edges reach (one entry per edge). */
  readonly successors: readonly number[][];
}

function resolve(doc: GraphDocument): Resolved {
  const index = new Map<string, number>();
  doc.nodes.forEach((node, i) => {
    if (!index.has(node.id)) index.set(node.id, i);
  });
  const successors: number[][] = doc.nodes.map(() => []);
  for (const edge of doc.edges) {
    const from = index.get(edge.from.node);
    const to = index.get(edge.to.node);
    if (from !== undefined && to !== undefined) successors[from].push(to);
  }
  return { index, successors };
}

/**
 * Node ids in an order where every node comes after the nodes feeding it (Kahn's algorithm); ties
 * go to document order. Nodes on a cycle, or fed by one, are left out, as are repeated ids.
 */
export function topologicalOrder(doc: GraphDocument): string[] {
  const { index, successors } = resolve(doc);
  const indegree = new Array<number>(doc.nodes.length).fill(0);
  for (const next of successors) for (const j of next) indegree[j]++;
  const ready = new MinHeap();
  for (const i of index.values()) if (indegree[i] === 0) ready.push(i);
  const order: string[] = [];
  while (ready.size > 0) {
    const i = ready.pop();
    order.push(doc.nodes[i].id);
    for (const j of successors[i]) if (--indegree[j] === 0) ready.push(j);
  }
  return order;
}

/** For each node id, its incoming edges by input port, in document order (edges with both ends present). */
export function incoming(doc: GraphDocument): Map<string, Map<string, DocEdge[]>> {
  const result = new Map<string, Map<string, DocEdge[]>>();
  for (const node of doc.nodes) if (!result.has(node.id)) result.set(node.id, new Map());
  for (const edge of doc.edges) {
    const ports = result.get(edge.to.node);
    if (ports === undefined || !result.has(edge.from.node)) continue;
    const list = ports.get(edge.to.port);
    if (list === undefined) ports.set(edge.to.port, [edge]);
    else list.push(edge);
  }
  return result;
}

/** Every structural problem in the document, each on the node, edge, port or param at fault. */
export function checkStructure(doc: GraphDocument, options: StructureOptions = {}): GraphError[] {
  const errors: GraphError[] = [];
  const resolved = resolve(doc);
  const specs = doc.nodes.map((node) => getNodeSpec(node.type));

  doc.nodes.forEach((node, i) => {
    const path = `nodes[${i}]`;
    if (resolved.index.get(node.id) !== i) {
      errors.push({
        code: 'duplicate_id',
        node: node.id,
        path: `${path}.id`,
        message: `Node ${nodeName(node)} has the id ${JSON.stringify(node.id)}, which another node already has; ids must be unique.`,
      });
    }
    const spec = specs[i];
    if (spec === undefined) {
      errors.push({
        code: 'unknown_type',
        node: node.id,
        path: `${path}.type`,
        message: node.type ? `Node ${nodeName(node)} has an unknown type ${JSON.stringify(node.type)}.` : `Node ${nodeName(node)} has no type.`,
      });
    } else {
      errors.push(...checkParams(node, spec, path));
    }
  });

  errors.push(...checkEdges(doc, resolved, specs));
  errors.push(...checkCycles(doc, resolved));

  if ((options.requireLoss ?? true) && !specs.some((spec) => spec?.role === 'loss')) {
    errors.push({
      code: 'no_loss',
      message: 'The graph has no loss node, so there is nothing to train: add a loss fed by the model output and the target.',
    });
  }
  return errors;
}

function checkParams(node: DocNode, spec: NodeSpec, path: string): GraphError[] {
  let issues: readonly z.core.$ZodIssue[];
  try {
    const result = spec.params.safeParse(node.params);
    if (result.success) return [];
    issues = result.error.issues;
  } catch (e) {
    // A catalog schema that throws (a bad transform or refine) must not take the checker down.
    const reason = e instanceof Error ? e.message : String(e);
    return [{ code: 'bad_param', node: node.id, path: `${path}.params`, message: `Node ${nodeName(node)}: its parameters could not be checked (${reason}).` }];
  }
  const errors: GraphError[] = [];
  for (const issue of issues) {
    // A strict params schema reports extra keys at the root, all in one issue.
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
      for (const key of issue.keys) {
        errors.push({
          code: 'bad_param',
          node: node.id,
          param: key,
          path: `${path}.${formatPath(['params', key])}`,
          message: `Node ${nodeName(node)}: ${spec.label} has no parameter ${JSON.stringify(key)}.`,
        });
      }
      continue;
    }
    const key = issue.path[0];
    const param = typeof key === 'string' ? key : undefined;
    const name = JSON.stringify(formatPath(issue.path));
    const missing = param !== undefined && issue.path.length === 1 && issue.code === 'invalid_type' && node.params[param] === undefined;
    errors.push({
      code: 'bad_param',
      node: node.id,
      ...(param !== undefined && { param }),
      path: `${path}.${formatPath(['params', ...issue.path])}`,
      message: missing
        ? `Node ${nodeName(node)}: parameter ${name} is missing.`
        : param === undefined
          ? `Node ${nodeName(node)}: its parameters are invalid (${issue.message}).`
          : `Node ${nodeName(node)}: parameter ${name} is invalid (${issue.message}).`,
    });
  }
  return errors;
}

function hasPort(ports: readonly PortSpec[], name: string): boolean {
  for (const port of ports) if (port.name === name) return true;
  return false;
}

const portList = (ports: readonly PortSpec[]): string => (ports.length === 0 ? 'none' : ports.map((p) => JSON.stringify(p.name)).join(', '));

function checkEdges(doc: GraphDocument, { index }: Resolved, specs: readonly (NodeSpec | undefined)[]): GraphError[] {
  const errors: GraphError[] = [];
  const edgeIds = new Map<string, DocEdge>();
  const wires = new Map<string, DocEdge>();
  /** Edges into each input port (both their nodes present), keyed by node index and port name. */
  const fed = new Map<string, DocEdge[]>();
  const portKey = (node: number, port: string) => `${node}\u0000${port}`;

  for (let e = 0; e < doc.edges.length; e++) {
    const edge = doc.edges[e];
    // Messages and paths are built only on error: this loop runs on every edit.
    const id = () => JSON.stringify(edge.id);
    if (edgeIds.has(edge.id)) {
      errors.push({
        code: 'duplicate_id',
        edge: edge.id,
        path: `edges[${e}].id`,
        message: `Edge ${id()} has the same id as another edge; ids must be unique.`,
      });
    } else {
      edgeIds.set(edge.id, edge);
    }

    const from = index.get(edge.from.node);
    const to = index.get(edge.to.node);
    if (from === undefined) {
      errors.push({
        code: 'dangling_edge',
        edge: edge.id,
        path: `edges[${e}].from.node`,
        message: `Edge ${id()} comes from node ${JSON.stringify(edge.from.node)}, which does not exist.`,
      });
    }
    if (to === undefined) {
      errors.push({
        code: 'dangling_edge',
        edge: edge.id,
        path: `edges[${e}].to.node`,
        message: `Edge ${id()} goes to node ${JSON.stringify(edge.to.node)}, which does not exist.`,
      });
    }

    const fromSpec = from === undefined ? undefined : specs[from];
    if (fromSpec !== undefined && !hasPort(fromSpec.outputs, edge.from.port)) {
      const node = doc.nodes[from!];
      errors.push({
        code: 'unknown_port',
        node: node.id,
        port: edge.from.port,
        edge: edge.id,
        path: `edges[${e}].from.port`,
        message: `Node ${nodeName(node)} has no output ${JSON.stringify(edge.from.port)} (its outputs: ${portList(fromSpec.outputs)}).`,
      });
    }
    const toSpec = to === undefined ? undefined : specs[to];
    if (toSpec !== undefined && !hasPort(toSpec.inputs, edge.to.port)) {
      const node = doc.nodes[to!];
      errors.push({
        code: 'unknown_port',
        node: node.id,
        port: edge.to.port,
        edge: edge.id,
        path: `edges[${e}].to.port`,
        message: `Node ${nodeName(node)} has no input ${JSON.stringify(edge.to.port)} (its inputs: ${portList(toSpec.inputs)}).`,
      });
    }

    const wire = JSON.stringify([edge.from.node, edge.from.port, edge.to.node, edge.to.port]);
    const same = wires.get(wire);
    if (same !== undefined) {
      errors.push({
        code: 'duplicate_edge',
        edge: edge.id,
        node: edge.to.node,
        port: edge.to.port,
        path: `edges[${e}]`,
        message: `Edge ${id()} repeats edge ${JSON.stringify(same.id)}: both connect ${JSON.stringify(edge.from.node)} to input ${JSON.stringify(edge.to.port)} of ${JSON.stringify(edge.to.node)}.`,
      });
      continue;
    }
    wires.set(wire, edge);
    // An edge feeds its input when both its nodes exist (as in incoming()), even from an unknown output port.
    if (from !== undefined && to !== undefined) {
      const key = portKey(to, edge.to.port);
      const list = fed.get(key);
      if (list === undefined) fed.set(key, [edge]);
      else list.push(edge);
    }
  }

  doc.nodes.forEach((node, i) => {
    const spec = specs[i];
    if (spec === undefined || index.get(node.id) !== i) return;
    for (const port of spec.inputs) {
      const edges = fed.get(portKey(i, port.name)) ?? [];
      const name = JSON.stringify(port.name);
      if (edges.length === 0 && !port.optional) {
        errors.push({
          code: 'missing_input',
          node: node.id,
          port: port.name,
          path: `nodes[${i}]`,
          message: `Node ${nodeName(node)}: input ${name} is not connected.`,
        });
      } else if (edges.length > 1 && !port.multiple) {
        errors.push({
          code: 'port_taken',
          node: node.id,
          port: port.name,
          edge: edges[1].id,
          path: `edges[${doc.edges.indexOf(edges[1])}]`,
          message: `Node ${nodeName(node)}: input ${name} takes one edge but has ${edges.length} (${edges.map((x) => JSON.stringify(x.id)).join(', ')}).`,
        });
      }
    }
  });
  return errors;
}

/** Longest cycle spelled out in a message; longer ones show their start, a count and their end. */
const CYCLE_SHOWN = 6;

/** One error per node on a cycle, each showing a short cycle through that node. */
function checkCycles(doc: GraphDocument, { successors }: Resolved): GraphError[] {
  const errors: GraphError[] = [];
  const cycles = new CycleFinder(successors, stronglyConnected(successors));
  doc.nodes.forEach((node, i) => {
    const cycle = cycles.through(i);
    if (cycle === undefined) return;
    const shown = cycle.length <= CYCLE_SHOWN ? cycle : [...cycle.slice(0, CYCLE_SHOWN - 1), -1, cycle[cycle.length - 1]];
    const names = shown.map((j) => (j === -1 ? `… (${cycle.length} nodes in all)` : nodeName(doc.nodes[j])));
    errors.push({
      code: 'cycle',
      node: node.id,
      path: `nodes[${i}]`,
      message: `Node ${nodeName(node)} is on a cycle (${[...names, nodeName(node)].join(' → ')}): a graph must not feed back into itself.`,
    });
  });
  return errors;
}

/** Tarjan's strongly connected components, iterative so long chains cannot overflow the stack. */
function stronglyConnected(successors: readonly number[][]): number[] {
  const n = successors.length;
  const order = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const component = new Array<number>(n).fill(-1);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const work: [node: number, next: number][] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (order[root] !== -1) continue;
    work.push([root, 0]);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, k] = frame;
      if (k === 0) {
        order[v] = low[v] = counter++;
        stack.push(v);
        onStack[v] = true;
      }
      if (k < successors[v].length) {
        frame[1]++;
        const w = successors[v][k];
        if (order[w] === -1) work.push([w, 0]);
        else if (onStack[w]) low[v] = Math.min(low[v], order[w]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === order[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}

/**
 * A cycle through any node of a strongly connected component, in time linear in the graph plus the
 * cycle: breadth-first trees from and to one root per component give paths root → v and v → root;
 * their first meeting point u after v closes a simple cycle v → … → u → … → v.
 */
class CycleFinder {
  /** Per node: the next node on a shortest path from the component root to it, reversed (its tree parent). */
  private readonly fromRoot: Int32Array;
  /** Per node: the next node on a shortest path from it to the component root. */
  private readonly toRoot: Int32Array;
  private readonly root: Int32Array;
  private readonly mark: Int32Array;
  private stamp = 0;
  private readonly rootCycles = new Map<number, number[]>();

  constructor(
    private readonly successors: readonly number[][],
    private readonly component: readonly number[],
  ) {
    const n = successors.length;
    this.fromRoot = new Int32Array(n).fill(-1);
    this.toRoot = new Int32Array(n).fill(-1);
    this.root = new Int32Array(n).fill(-1);
    this.mark = new Int32Array(n);
    const predecessors: number[][] = successors.map(() => []);
    successors.forEach((next, v) => {
      for (const w of next) if (component[w] === component[v]) predecessors[w].push(v);
    });
    const members = new Map<number, number>();
    for (const c of component) members.set(c, (members.get(c) ?? 0) + 1);
    for (let v = 0; v < n; v++) {
      const trivial = members.get(component[v]) === 1 && !successors[v].includes(v);
      if (trivial || this.root[component[v]] !== -1) continue;
      // v is the first node of its component in document order: its root.
      this.root[component[v]] = v;
      this.rootCycles.set(v, this.bfs(v, successors, component, this.fromRoot));
      this.bfs(v, predecessors, component, this.toRoot);
    }
  }

  /** Node indices of a cycle from `v` (first) back to it, not repeating `v`; undefined if v is on none. */
  through(v: number): number[] | undefined {
    const r = this.root[this.component[v]];
    if (r === -1) return undefined;
    if (v === r) return this.rootCycles.get(r);
    if (this.successors[v].includes(v)) return [v];
    const stamp = ++this.stamp;
    for (let x = v; x !== -1; x = this.fromRoot[x]) this.mark[x] = stamp; // path root → v
    const cycle = [v];
    let u = this.toRoot[v];
    for (; this.mark[u] !== stamp; u = this.toRoot[u]) cycle.push(u); // path v → u, off the first path
    const back: number[] = [];
    for (let x = this.fromRoot[v]; x !== u; x = this.fromRoot[x]) back.push(x); // path u → v, reversed
    cycle.push(u, ...back.reverse());
    return cycle;
  }

  /**
   * Breadth-first search from `start` inside its component, recording each node's tree parent.
   * Returns a shortest cycle through `start` (the first edge found back into it).
   */
  private bfs(start: number, edges: readonly number[][], component: readonly number[], parent: Int32Array): number[] {
    const queue = [start];
    let cycle: number[] | undefined;
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head];
      for (const w of edges[v]) {
        if (w === start) {
          if (cycle === undefined) {
            cycle = [];
            for (let x = v; x !== -1; x = parent[x]) cycle.push(x);
            cycle.reverse();
          }
          continue;
        }
        if (parent[w] !== -1 || component[w] !== component[start]) continue;
        parent[w] = v;
        queue.push(w);
      }
    }
    return cycle ?? [start];
  }
}

/** A binary min-heap of node indices (Kahn's ready set, so ties go to document order). */
class MinHeap {
  private readonly items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(x: number): void {
    const a = this.items;
    a.push(x);
    for (let i = a.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (a[p] <= a[i]) break;
      [a[p], a[i]] = [a[i], a[p]];
      i = p;
    }
  }
  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
