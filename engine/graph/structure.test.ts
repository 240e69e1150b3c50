import { describe, expect, it, vi } from 'vitest';
import { GraphDocument, emptyDocument, type DocEdge } from './document';
import type { GraphError } from './errors';
import { NODE_SPECS } from './nodes';
import type { NodeSpec } from './spec';
import { checkStructure, incoming, topologicalOrder } from './structure';

// Two test-only node types next to the real catalog: one with an optional input and a required
// param, one whose params schema throws (a broken catalog entry must not take the checker down).
vi.mock('./nodes', async (importOriginal) => {
  const real = await importOriginal<typeof import('./nodes')>();
  const { z } = await import('zod');
  const extra: Record<string, NodeSpec> = {
    TestOptional: {
      type: 'TestOptional',
      category: 'Ops',
      label: 'Test optional',
      description: 'test only',
      inputs: [{ name: 'x' }, { name: 'mask', optional: true }],
      outputs: [{ name: 'y' }],
      params: z.strictObject({ size: z.int() }),
      lower: () => ({}),
    },
    TestThrows: {
      type: 'TestThrows',
      category: 'Ops',
      label: 'Test throws',
      description: 'test only',
      inputs: [],
      outputs: [{ name: 'y' }],
      params: {
        safeParse: () => {
          throw new Error('kaput');
        },
      } as unknown as NodeSpec['params'],
      lower: () => ({}),
    },
  };
  return { ...real, getNodeSpec: (type: string) => (Object.hasOwn(extra, type) ? extra[type] : real.getNodeSpec(type)) };
});

type NodeIn = { id: string; type: string; params?: Record<string, unknown>; label?: string };

const node = (id: string, type: string, params: Record<string, unknown> = {}, label?: string): NodeIn => ({
  id,
  type,
  params,
  ...(label !== undefined && { label }),
});

/** `edge('e1', 'a.y', 'b.x')`: from node a's output y to node b's input x. */
function edge(id: string, from: string, to: string): DocEdge {
  const [fromNode, fromPort] = from.split('.');
  const [toNode, toPort] = to.split('.');
  return { id, from: { node: fromNode, port: fromPort }, to: { node: toNode, port: toPort } };
}

const graph = (nodes: NodeIn[], edges: DocEdge[]): GraphDocument => GraphDocument.parse({ ...emptyDocument('test'), nodes, edges });

/** A regression MLP: x → Dense h → ReLU r → Dense out → MSE ← t. */
const mlpNodes = (): NodeIn[] => [
  node('x', 'Input', { field: 'x', shape: [2] }),
  node('t', 'Input', { field: 'y', shape: [1] }),
  node('h', 'Dense', { units: 8 }, 'Hidden'),
  node('r', 'ReLU'),
  node('out', 'Dense', { units: 1 }),
  node('loss', 'MSELoss'),
];
const mlpEdges = (): DocEdge[] => [
  edge('e1', 'x.y', 'h.x'),
  edge('e2', 'h.y', 'r.x'),
  edge('e3', 'r.y', 'out.x'),
  edge('e4', 'out.y', 'loss.pred'),
  edge('e5', 't.y', 'loss.target'),
];
const mlp = (extraNodes: NodeIn[] = [], extraEdges: DocEdge[] = []) => graph([...mlpNodes(), ...extraNodes], [...mlpEdges(), ...extraEdges]);

/** The errors with only the fields that locate them, for exact comparison. */
const where = (errors: readonly GraphError[]) => errors.map(({ message: _, ...rest }) => rest);

describe('checkStructure', () => {
  it('finds nothing wrong with a correct graph', () => {
    expect(checkStructure(mlp())).toEqual([]);
  });

  it('uses the lead catalog types the tests rely on', () => {
    for (const type of ['Input', 'Dense', 'ReLU', 'Add', 'Concat', 'MSELoss', 'Parameter', 'matmul']) expect(NODE_SPECS[type]).toBeDefined();
  });

  describe('unknown_type', () => {
    it('names the node and its type', () => {
      const errors = checkStructure(mlp([node('f', 'Foo', {}, 'Mystery')]));
      expect(where(errors)).toEqual([{ code: 'unknown_type', node: 'f', path: 'nodes[6].type' }]);
      expect(errors[0].message).toBe('Node "Mystery" has an unknown type "Foo".');
    });

    it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'dense', ''])('treats %j as unknown', (type) => {
      expect(where(checkStructure(mlp([node('f', type)])))).toEqual([{ code: 'unknown_type', node: 'f', path: 'nodes[6].type' }]);
    });
  });

  describe('bad_param', () => {
    it('names the param that is out of range', () => {
      const nodes = mlpNodes();
      nodes[2].params = { units: 0 };
      const errors = checkStructure(graph(nodes, mlpEdges()));
      expect(where(errors)).toEqual([{ code: 'bad_param', node: 'h', param: 'units', path: 'nodes[2].params.units' }]);
      expect(errors[0].message).toMatch(/^Node "Hidden": parameter "units" is invalid \(.+\)\.$/);
    });

    it('names a param the node does not have', () => {
      const nodes = mlpNodes();
      nodes[4].params = { units: 1, unitz: 3, act: 'relu' };
      const errors = checkStructure(graph(nodes, mlpEdges()));
      expect(where(errors)).toEqual([
        { code: 'bad_param', node: 'out', param: 'unitz', path: 'nodes[4].params.unitz' },
        { code: 'bad_param', node: 'out', param: 'act', path: 'nodes[4].params.act' },
      ]);
      expect(errors[0].message).toBe('Node "out": Dense has no parameter "unitz".');
    });

    it('names the top-level param when the problem is nested inside it', () => {
      const nodes = mlpNodes();
      nodes[4].params = { units: 1, kernelInit: { kind: 'constant' } };
      expect(where(checkStructure(graph(nodes, mlpEdges())))).toEqual([
        { code: 'bad_param', node: 'out', param: 'kernelInit', path: 'nodes[4].params.kernelInit.value' },
      ]);
    });

    it('says a required param is missing', () => {
      const errors = checkStructure(mlp([node('o', 'TestOptional')], [edge('e6', 'r.y', 'o.x')]));
      expect(where(errors)).toEqual([{ code: 'bad_param', node: 'o', param: 'size', path: 'nodes[6].params.size' }]);
      expect(errors[0].message).toBe('Node "o": parameter "size" is missing.');
    });

    it('reports a params schema that throws instead of throwing', () => {
      const errors = checkStructure(mlp([node('boom', 'TestThrows')]));
      expect(where(errors)).toEqual([{ code: 'bad_param', node: 'boom', path: 'nodes[6].params' }]);
      expect(errors[0].message).toMatch(/kaput/);
    });
  });

  describe('duplicate_id', () => {
    it('reports a second node with an id already taken', () => {
      expect(where(checkStructure(mlp([node('r', 'ReLU')])))).toEqual([{ code: 'duplicate_id', node: 'r', path: 'nodes[6].id' }]);
    });

    it('reports a second edge with an id already taken', () => {
      const edges = mlpEdges();
      edges[2] = { ...edges[2], id: 'e1' };
      expect(where(checkStructure(graph(mlpNodes(), edges)))).toEqual([{ code: 'duplicate_id', edge: 'e1', path: 'edges[2].id' }]);
    });
  });

  describe('dangling_edge', () => {
    it('reports each end that names a missing node', () => {
      const errors = checkStructure(mlp([], [edge('in', 'ghost.y', 'out.x'), edge('away', 'r.y', 'nowhere.x'), edge('both', 'a.y', 'b.x')]));
      expect(where(errors)).toEqual([
        { code: 'dangling_edge', edge: 'in', path: 'edges[5].from.node' },
        { code: 'dangling_edge', edge: 'away', path: 'edges[6].to.node' },
        { code: 'dangling_edge', edge: 'both', path: 'edges[7].from.node' },
        { code: 'dangling_edge', edge: 'both', path: 'edges[7].to.node' },
      ]);
      expect(errors[0].message).toBe('Edge "in" comes from node "ghost", which does not exist.');
      expect(errors[1].message).toBe('Edge "away" goes to node "nowhere", which does not exist.');
    });

    it('does not count an edge from a missing node as feeding its input', () => {
      const edges = mlpEdges();
      edges[2] = edge('e3', 'ghost.y', 'out.x');
      expect(where(checkStructure(graph(mlpNodes(), edges)))).toEqual([
        { code: 'dangling_edge', edge: 'e3', path: 'edges[2].from.node' },
        { code: 'missing_input', node: 'out', port: 'x', path: 'nodes[4]' },
      ]);
    });
  });

  describe('unknown_port', () => {
    it('reports an output the source node does not have', () => {
      const edges = mlpEdges();
      edges[0] = edge('e1', 'x.value', 'h.x');
      const errors = checkStructure(graph(mlpNodes(), edges));
      expect(where(errors)).toEqual([{ code: 'unknown_port', node: 'x', port: 'value', edge: 'e1', path: 'edges[0].from.port' }]);
      expect(errors[0].message).toBe('Node "x" has no output "value" (its outputs: "y").');
    });

    it('reports an input the target node does not have, which leaves the real input unfed', () => {
      const edges = mlpEdges();
      edges[2] = edge('e3', 'r.y', 'out.input');
      const errors = checkStructure(graph(mlpNodes(), edges));
      expect(where(errors)).toEqual([
        { code: 'unknown_port', node: 'out', port: 'input', edge: 'e3', path: 'edges[2].to.port' },
        { code: 'missing_input', node: 'out', port: 'x', path: 'nodes[4]' },
      ]);
      expect(errors[0].message).toBe('Node "out" has no input "input" (its inputs: "x").');
    });

    it('says when a node has no inputs at all', () => {
      const errors = checkStructure(mlp([], [edge('e6', 'r.y', 'x.x')]));
      expect(errors[0].message).toBe('Node "x" has no input "x" (its inputs: none).');
    });
  });

  it('duplicate_edge: the same wire twice (and not also port_taken)', () => {
    const errors = checkStructure(mlp([], [edge('again', 'r.y', 'out.x')]));
    expect(where(errors)).toEqual([{ code: 'duplicate_edge', edge: 'again', node: 'out', port: 'x', path: 'edges[5]' }]);
    expect(errors[0].message).toMatch(/"again" repeats edge "e3"/);
  });

  describe('port_taken', () => {
    it('reports a single input fed by two edges', () => {
      const errors = checkStructure(mlp([], [edge('second', 'h.y', 'out.x')]));
      expect(where(errors)).toEqual([{ code: 'port_taken', node: 'out', port: 'x', edge: 'second', path: 'edges[5]' }]);
      expect(errors[0].message).toBe('Node "out": input "x" takes one edge but has 2 ("e3", "second").');
    });

    it('lets a multiple input take several edges', () => {
      const edges = mlpEdges();
      edges[2] = edge('e3', 'sum.y', 'out.x');
      const doc = graph([...mlpNodes(), node('sum', 'Add')], [...edges, edge('s1', 'h.y', 'sum.inputs'), edge('s2', 'r.y', 'sum.inputs')]);
      expect(checkStructure(doc)).toEqual([]);
    });
  });

  describe('cycle', () => {
    it('reports every node on a cycle once, with the cycle, and not the nodes it feeds', () => {
      const doc = graph(
        [node('a', 'ReLU'), node('b', 'ReLU', {}, 'Bee'), node('c', 'ReLU'), node('d', 'ReLU'), node('s', 'Add')],
        [edge('ca', 'c.y', 'a.x'), edge('ab', 'a.y', 'b.x'), edge('bc', 'b.y', 'c.x'), edge('cd', 'c.y', 'd.x'), edge('ss', 's.y', 's.inputs')],
      );
      const errors = checkStructure(doc, { requireLoss: false });
      expect(where(errors)).toEqual([
        { code: 'cycle', node: 'a', path: 'nodes[0]' },
        { code: 'cycle', node: 'b', path: 'nodes[1]' },
        { code: 'cycle', node: 'c', path: 'nodes[2]' },
        { code: 'cycle', node: 's', path: 'nodes[4]' },
      ]);
      expect(errors[0].message).toBe('Node "a" is on a cycle ("a" → "Bee" → "c" → "a"): a graph must not feed back into itself.');
      expect(errors[1].message).toContain('("Bee" → "c" → "a" → "Bee")');
      expect(errors[3].message).toContain('("s" → "s")');
      expect(topologicalOrder(doc)).toEqual([]);
    });

    it('shows each node its own shortest cycle when cycles overlap', () => {
      const doc = graph(
        [node('a', 'Add'), node('b', 'Add'), node('c', 'Add')],
        [edge('ab', 'a.y', 'b.inputs'), edge('ba', 'b.y', 'a.inputs'), edge('bc', 'b.y', 'c.inputs'), edge('cb', 'c.y', 'b.inputs')],
      );
      const messages = checkStructure(doc, { requireLoss: false }).map((e) => e.message);
      expect(messages).toHaveLength(3);
      expect(messages[0]).toContain('("a" → "b" → "a")');
      expect(messages[2]).toContain('("c" → "b" → "c")');
    });
  });

  describe('missing_input', () => {
    it('reports an unconnected required input', () => {
      const errors = checkStructure(graph(mlpNodes(), mlpEdges().slice(0, 4)));
      expect(where(errors)).toEqual([{ code: 'missing_input', node: 'loss', port: 'target', path: 'nodes[5]' }]);
      expect(errors[0].message).toBe('Node "loss": input "target" is not connected.');
    });

    it('reports a multiple input with no edges, but not an optional one', () => {
      const errors = checkStructure(mlp([node('sum', 'Add'), node('o', 'TestOptional', { size: 2 })], [edge('e6', 'r.y', 'o.x')]));
      expect(where(errors)).toEqual([{ code: 'missing_input', node: 'sum', port: 'inputs', path: 'nodes[6]' }]);
    });
  });

  describe('no_loss', () => {
    const noLoss = () => graph(mlpNodes().slice(0, 5), mlpEdges().slice(0, 3));

    it('is a graph-level error', () => {
      const errors = checkStructure(noLoss());
      expect(where(errors)).toEqual([{ code: 'no_loss' }]);
      expect(errors[0].message).toMatch(/no loss node/);
    });

    it('can be turned off', () => {
      expect(checkStructure(noLoss(), { requireLoss: false })).toEqual([]);
    });

    it('is not satisfied by a metric', () => {
      const doc = graph(
        [...mlpNodes().slice(0, 5), node('acc', 'Accuracy')],
        [...mlpEdges().slice(0, 3), edge('p', 'out.y', 'acc.pred'), edge('q', 't.y', 'acc.target')],
      );
      expect(where(checkStructure(doc))).toEqual([{ code: 'no_loss' }]);
    });
  });

  it('reports every problem at once, not just the first', () => {
    const nodes = [...mlpNodes(), node('f', 'Foo'), node('r', 'ReLU'), node('sum', 'Add'), node('c1', 'ReLU'), node('c2', 'ReLU')];
    nodes[2].params = { units: -3 };
    const edges = [
      ...mlpEdges().slice(0, 4),
      edge('e1', 'x.y', 'sum.inputs'),
      edge('x1', 'ghost.y', 'loss.target'),
      edge('x2', 'r.nope', 'sum.inputs'),
      edge('x3', 'h.y', 'out.x'),
      edge('x4', 'h.y', 'out.x'),
      edge('k1', 'c1.y', 'c2.x'),
      edge('k2', 'c2.y', 'c1.x'),
    ];
    const found = checkStructure(graph(nodes, edges)).map((e) => `${e.code}:${e.node ?? '-'}:${e.edge ?? '-'}`);
    expect(found.sort()).toEqual(
      [
        'unknown_type:f:-',
        'bad_param:h:-',
        'duplicate_id:r:-',
        'duplicate_id:-:e1',
        'dangling_edge:-:x1',
        'unknown_port:r:x2',
        'duplicate_edge:out:x4',
        'port_taken:out:x3',
        'missing_input:loss:-',
        'cycle:c1:-',
        'cycle:c2:-',
      ].sort(),
    );
  });
});

describe('topologicalOrder', () => {
  it('puts every node after its inputs, ties in document order', () => {
    expect(topologicalOrder(mlp())).toEqual(['x', 't', 'h', 'r', 'out', 'loss']);
    expect(topologicalOrder(graph([...mlpNodes()].reverse(), mlpEdges()))).toEqual(['t', 'x', 'h', 'r', 'out', 'loss']);
  });

  it('leaves out cycles, what they feed, and repeated ids; ignores dangling edges', () => {
    const doc = graph(
      [node('a', 'ReLU'), node('b', 'ReLU'), node('c', 'ReLU'), node('z', 'ReLU'), node('a', 'ReLU')],
      [edge('1', 'a.y', 'b.x'), edge('2', 'b.y', 'a.x'), edge('3', 'b.y', 'c.x'), edge('4', 'ghost.y', 'z.x')],
    );
    expect(topologicalOrder(doc)).toEqual(['z']);
  });
});

describe('incoming', () => {
  it('groups edges by node and port, in edge order, skipping edges with a missing end', () => {
    const doc = graph(
      [node('a', 'Input'), node('b', 'Input'), node('sum', 'Add')],
      [edge('2', 'b.y', 'sum.inputs'), edge('1', 'a.y', 'sum.inputs'), edge('g', 'ghost.y', 'sum.inputs'), edge('h', 'a.y', 'nowhere.x')],
    );
    const map = incoming(doc);
    expect([...map.keys()]).toEqual(['a', 'b', 'sum']);
    expect(map.get('a')!.size).toBe(0);
    expect(
      map
        .get('sum')!
        .get('inputs')!
        .map((e) => e.id),
    ).toEqual(['2', '1']);
  });
});

describe('a graph of 500 nodes and 600 edges', () => {
  /** Residual MLP: 101 blocks Dense → ReLU → Add(skip), 97 blocks Dense → ReLU, shuffled in the document. */
  function bigGraph(): GraphDocument {
    const nodes: NodeIn[] = [node('x', 'Input', { shape: [8] }), node('y', 'Input', { field: 'y', shape: [8] })];
    const edges: DocEdge[] = [];
    let prev = 'x';
    for (let i = 0; i < 198; i++) {
      nodes.push(node(`d${i}`, 'Dense', { units: 8 }), node(`r${i}`, 'ReLU'));
      edges.push(edge(`e${edges.length}`, `${prev}.y`, `d${i}.x`), edge(`e${edges.length + 1}`, `d${i}.y`, `r${i}.x`));
      // gcd(101, 198) = 1, so exactly 101 of the 198 blocks get a skip connection, spread out.
      if ((i * 101) % 198 < 101) {
        nodes.push(node(`a${i}`, 'Add'));
        edges.push(edge(`e${edges.length}`, `r${i}.y`, `a${i}.inputs`), edge(`e${edges.length + 1}`, `${prev}.y`, `a${i}.inputs`));
        prev = `a${i}`;
      } else {
        prev = `r${i}`;
      }
    }
    nodes.push(node('loss', 'MSELoss'));
    edges.push(edge(`e${edges.length}`, `${prev}.y`, 'loss.pred'), edge(`e${edges.length + 1}`, 'y.y', 'loss.target'));
    let s = 7;
    for (let i = nodes.length - 1; i > 0; i--) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      const j = s % (i + 1);
      [nodes[i], nodes[j]] = [nodes[j], nodes[i]];
    }
    return graph(nodes, edges);
  }

  it('is checked correctly', () => {
    const doc = bigGraph();
    expect(doc.nodes).toHaveLength(500);
    expect(doc.edges).toHaveLength(600);
    expect(checkStructure(doc)).toEqual([]);

    const order = topologicalOrder(doc);
    expect(new Set(order).size).toBe(500);
    const position = new Map(order.map((id, i) => [id, i]));
    for (const e of doc.edges) expect(position.get(e.from.node)!).toBeLessThan(position.get(e.to.node)!);

    let fed = 0;
    for (const ports of incoming(doc).values()) for (const list of ports.values()) fed += list.length;
    expect(fed).toBe(600);
  });

  it('finds exactly the nodes on a cycle made by one back edge', () => {
    const doc = bigGraph();
    // r150 feeds into the skip Add of an early block: every node between them is now on a cycle.
    const target = doc.nodes.find((n) => n.id.startsWith('a') && Number(n.id.slice(1)) < 20)!.id;
    doc.edges.push(edge('back', 'r150.y', `${target}.inputs`));

    // Reference: nodes reachable from the target that also reach r150, by plain search both ways.
    const reach = (start: string, next: (id: string) => string[]) => {
      const seen = new Set([start]);
      for (const queue = [start]; queue.length > 0;) {
        for (const n of next(queue.pop()!)) {
          if (!seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
        }
      }
      return seen;
    };
    const forward = reach(target, (id) => doc.edges.filter((e) => e.from.node === id).map((e) => e.to.node));
    const backward = reach('r150', (id) => doc.edges.filter((e) => e.to.node === id).map((e) => e.from.node));
    const expected = [...forward].filter((id) => backward.has(id)).sort();

    const errors = checkStructure(doc);
    expect(errors.every((e) => e.code === 'cycle')).toBe(true);
    expect(errors.map((e) => e.node!).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(100);
    // Everything the cycle reaches (all of `forward`) cannot be ordered; the rest still can.
    expect(topologicalOrder(doc)).toHaveLength(500 - forward.size);
  });
});

describe('never throws', () => {
  it('on random graphs of real and unknown types with random wiring', () => {
    let s = 99;
    const rand = (n: number) => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) % n;
    const types = [...Object.keys(NODE_SPECS), 'Foo', 'constructor', '__proto__', 'TestOptional', 'TestThrows'];
    const ports = ['x', 'y', 'a', 'b', 'inputs', 'pred', 'target', 'loss', '__proto__', ''];
    let cyclesSeen = 0;
    for (let round = 0; round < 200; round++) {
      const count = 1 + rand(12);
      const ids = Array.from({ length: count + 2 }, (_, i) => `n${rand(count + 2)}${i % 5 === 0 ? '' : i}`);
      const nodes = ids.slice(0, count).map((id) => node(id, types[rand(types.length)], rand(3) === 0 ? { units: rand(3) - 1, junk: true } : {}));
      const edges = Array.from({ length: rand(20) }, (_, i) =>
        edge(`e${rand(i + 1)}`, `${ids[rand(ids.length)]}.${ports[rand(ports.length)]}`, `${ids[rand(ids.length)]}.${ports[rand(ports.length)]}`),
      );
      const doc = graph(nodes, edges);
      const errors = checkStructure(doc);
      for (const e of errors) expect(e.message).toMatch(/\.$/);
      const order = topologicalOrder(doc);
      expect(new Set(order).size).toBe(order.length);
      incoming(doc);

      // Reference: with ids resolved to their first node, v is on a cycle iff v reaches itself.
      const present = new Set(doc.nodes.map((n) => n.id));
      const wires = doc.edges.filter((e) => present.has(e.from.node) && present.has(e.to.node));
      const reaches = (a: string, b: string) => {
        const seen = new Set<string>();
        for (const queue = [a]; queue.length > 0;) {
          for (const w of wires) {
            if (w.from.node !== queue[queue.length - 1] || seen.has(w.to.node)) continue;
            if (w.to.node === b) return true;
            seen.add(w.to.node);
            queue.unshift(w.to.node);
          }
          queue.pop();
        }
        return false;
      };
      const onCycle = [...present].filter((id) => reaches(id, id));
      const cycles = errors.filter((e) => e.code === 'cycle');
      cyclesSeen += cycles.length;
      expect(cycles.map((e) => e.node).sort()).toEqual(onCycle.sort());
      // Each message spells a real cycle: consecutive names are joined by an edge.
      for (const e of cycles) {
        const names = /\((.*)\):/
          .exec(e.message)![1]
          .split(' → ')
          .map((q) => JSON.parse(q) as string);
        expect(names[0]).toBe(e.node);
        expect(names[names.length - 1]).toBe(e.node);
        for (let k = 1; k < names.length; k++) expect(wires.some((w) => w.from.node === names[k - 1] && w.to.node === names[k])).toBe(true);
      }
      // Ordered: exactly the nodes no cycle reaches, each after the nodes that feed it.
      const blocked = [...present].filter((id) => onCycle.some((c) => c === id || reaches(c, id)));
      expect(order.sort()).toEqual([...present].filter((id) => !blocked.includes(id)).sort());
    }
    expect(cyclesSeen).toBeGreaterThan(50);
  });

  it('spells out a long cycle in edge order from each node', () => {
    const ids = ['r', 'a', 'b', 'c', 'v'];
    const doc = graph(
      ids.map((id) => node(id, 'Add')),
      ids.map((id, i) => edge(`e${i}`, `${id}.y`, `${ids[(i + 1) % 5]}.inputs`)),
    );
    const messages = checkStructure(doc, { requireLoss: false }).map((e) => /\((.*)\):/.exec(e.message)![1]);
    expect(messages).toEqual(ids.map((_, i) => [...ids.slice(i), ...ids.slice(0, i + 1)].map((id) => `"${id}"`).join(' → ')));
  });

  it('shortens the cycle in a message when it is long', () => {
    const ids = Array.from({ length: 9 }, (_, i) => `n${i}`);
    const doc = graph(
      ids.map((id) => node(id, 'Add')),
      ids.map((id, i) => edge(`e${i}`, `${id}.y`, `${ids[(i + 1) % 9]}.inputs`)),
    );
    expect(checkStructure(doc, { requireLoss: false })[2].message).toBe(
      'Node "n2" is on a cycle ("n2" → "n3" → "n4" → "n5" → "n6" → … (9 nodes in all) → "n1" → "n2"): a graph must not feed back into itself.',
    );
  });
});
