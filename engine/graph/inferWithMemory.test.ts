// inferWithMemory() lowers a document once for both shapes and memory: it must give exactly what
// inferShapes() and estimateMemory() give on their own, on every template and on broken graphs.
import { describe, expect, it } from 'vitest';
import { makeDoc } from '../testing/docs';
import { inferShapes } from './infer';
import { estimateMemory, inferWithMemory } from './memory';
import { TEMPLATES } from './templates';

const broken = [
  // A target of the wrong width: a shape error on the loss, nothing downstream.
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [4] }],
      ['d', 'Dense', { units: 3 }],
      ['t', 'Input', { field: 'y', shape: [5] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: 2, dataset: { kind: 'random', inputShape: [4], targetShape: [5], size: 10 } },
  ),
  // An unconnected input and a frozen layer.
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [8] }],
      ['d', 'Dense', { units: 6 }],
      ['r', 'ReLU'],
      ['d2', 'Dense', { units: 2 }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> r.x', 'r.y -> d2.x', 'd2.y -> loss.pred'],
    { batchSize: 3, optimizer: { type: 'sgd', momentum: 0.9 } },
  ),
];

describe('inferWithMemory', () => {
  for (const template of TEMPLATES) {
    it(`equals inferShapes and estimateMemory on ${template.id}`, () => {
      const doc = template.build();
      const both = inferWithMemory(doc);
      const shapes = inferShapes(doc);
      expect(both.nodes).toEqual(shapes.nodes);
      expect(both.errors).toEqual(shapes.errors);
      expect(both.memory).toEqual(estimateMemory(doc));
      expect(both.memory.nodes.size).toBeGreaterThan(0);
    });
  }
  it('equals them on graphs with errors and frozen layers', () => {
    const frozen = { ...broken[1], nodes: broken[1].nodes.map((n) => (n.id === 'd' ? { ...n, trainable: false } : n)) };
    for (const doc of [...broken, frozen]) {
      const both = inferWithMemory(doc);
      expect(both.nodes).toEqual(inferShapes(doc).nodes);
      expect(both.errors).toEqual(inferShapes(doc).errors);
      expect(both.memory).toEqual(estimateMemory(doc));
    }
    expect(inferWithMemory(broken[0]).errors.length).toBeGreaterThan(0);
  });
});
