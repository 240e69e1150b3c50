import { describe, expect, it } from 'vitest';
import { bigGraph } from '../../bench/app/bigGraph.mjs';
import type { GraphDocument } from '../../engine/graph/document';
import { checkStructure } from '../../engine/graph/structure';
import { loadProblem, structureErrors } from './integrity';
import { validate } from './validation';

const BLOCKING = new Set(['unknown_type', 'duplicate_id', 'dangling_edge', 'unknown_port', 'duplicate_edge']);

describe('the structural check shared by the load check and the validation', () => {
  const chain = bigGraph(12) as GraphDocument;
  const noLoss: GraphDocument = { ...chain, nodes: chain.nodes.filter((n) => n.id !== 'loss'), edges: chain.edges.filter((e) => e.to.node !== 'loss') };
  const broken: GraphDocument = {
    ...chain,
    nodes: [
      ...chain.nodes,
      { id: 'n1', type: 'ReLU', params: {}, position: { x: 0, y: 0 } },
      { id: 'q', type: 'NoSuchLayer', params: {}, position: { x: 0, y: 0 } },
    ],
    edges: [...chain.edges, { id: 'dangling', from: { node: 'gone', port: 'y' }, to: { node: 'n2', port: 'x' } }],
  };

  it.each([
    ['a valid chain', chain],
    ['a graph without a loss', noLoss],
    ['a graph with unknown types, duplicate ids and a dangling edge', broken],
  ])('refuses %s exactly when the engine finds a blocking problem without a loss required', (_name, doc) => {
    const blocking = checkStructure(doc, { requireLoss: false }).filter((e) => BLOCKING.has(e.code));
    const problem = loadProblem(doc);
    if (blocking.length === 0) expect(problem).toBeUndefined();
    else expect(problem).toContain(blocking[0].message);
  });

  it('is the engine check with a loss required, computed once per document and used by the validation', () => {
    for (const doc of [chain, noLoss, broken]) {
      expect(structureErrors(doc)).toEqual(checkStructure(doc, { requireLoss: true }));
      expect(structureErrors(doc)).toBe(structureErrors(doc));
      const all = validate(doc).all;
      expect(all.slice(0, structureErrors(doc).length)).toEqual(structureErrors(doc));
    }
    expect(structureErrors(noLoss).some((e) => e.code === 'no_loss')).toBe(true);
    expect(loadProblem(noLoss)).toBeUndefined();
    expect(loadProblem(broken)).toMatch(/cannot be opened/);
  });
});
