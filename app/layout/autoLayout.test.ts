import { describe, expect, it } from 'vitest';
import { templateById } from '../templates';
import type { XY } from '../store/edits';
import { DEFAULT_NODE_SIZE, layoutPositions } from './autoLayout';

function expectNoOverlaps(positions: Record<string, XY>) {
  const boxes = Object.values(positions);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const dx = Math.abs(boxes[i].x - boxes[j].x);
      const dy = Math.abs(boxes[i].y - boxes[j].y);
      expect(dx >= DEFAULT_NODE_SIZE.width || dy >= DEFAULT_NODE_SIZE.height).toBe(true);
    }
  }
}

const extent = (positions: Record<string, XY>) => {
  const xs = Object.values(positions).map((p) => p.x);
  const ys = Object.values(positions).map((p) => p.y);
  return { width: Math.max(...xs) - Math.min(...xs), height: Math.max(...ys) - Math.min(...ys) };
};

describe('auto-layout', () => {
  it('lays out nodes whose ids are Object.prototype names like any other', async () => {
    const base = templateById('two-spirals')!.build();
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const rename = new Map(base.nodes.slice(0, names.length).map((n, i) => [n.id, names[i]!]));
    const id = (x: string) => rename.get(x) ?? x;
    const doc = {
      ...base,
      nodes: base.nodes.map((n) => ({ ...n, id: id(n.id) })),
      edges: base.edges.map((e) => ({ ...e, from: { ...e.from, node: id(e.from.node) }, to: { ...e.to, node: id(e.to.node) } })),
    };
    const positions = await layoutPositions(doc, { constructor: { width: 400, height: 90 } });
    expect(Object.keys(positions).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const n of doc.nodes) expect(Number.isFinite(positions[n.id]!.x) && Number.isFinite(positions[n.id]!.y), n.id).toBe(true);
  });

  it('lays the graph out left to right along its edges, without overlaps', async () => {
    const doc = templateById('lenet')!.build();
    const positions = await layoutPositions(doc);
    expect(Object.keys(positions).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const e of doc.edges) expect(positions[e.to.node].x, e.id).toBeGreaterThan(positions[e.from.node].x);
    expectNoOverlaps(positions);
  });

  it('wraps a chain too long to read on the canvas into rows, and leaves short ones alone', async () => {
    const canvas = { width: 960, height: 720 };
    const lenet = templateById('lenet')!.build();
    const wide = extent(await layoutPositions(lenet));
    const wrapped = await layoutPositions(lenet, {}, canvas);
    expectNoOverlaps(wrapped);
    expect(extent(wrapped).width).toBeLessThan(wide.width / 2);
    expect(extent(wrapped).height).toBeGreaterThan(wide.height);

    const mlp = templateById('two-spirals')!.build();
    const positions = await layoutPositions(mlp, {}, { width: 1600, height: 900 });
    for (const e of mlp.edges) expect(positions[e.to.node].x, e.id).toBeGreaterThan(positions[e.from.node].x);
  });

  it('keeps the top-left corner of the graph in place', async () => {
    const doc = templateById('two-spirals')!.build();
    const positions = await layoutPositions(doc);
    expect(Math.min(...Object.values(positions).map((p) => p.x))).toBe(Math.min(...doc.nodes.map((n) => n.position.x)));
    expect(Math.min(...Object.values(positions).map((p) => p.y))).toBe(Math.min(...doc.nodes.map((n) => n.position.y)));
  });
});
