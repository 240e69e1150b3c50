import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION } from './document';
import { batchNormMomentumAsPyTorch } from './batchNormMomentum';
import { migrate } from './migrations';

/** A version-1 document with one BatchNorm whose params are `params`, and a Dense beside it. */
const v1 = (params: Record<string, unknown>) => ({
  format: 'wiregrad.graph',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', params: { field: 'x', shape: [4] }, position: { x: 0, y: 0 } },
    { id: 'bn', type: 'BatchNorm', params, position: { x: 200, y: 0 } },
    { id: 'd', type: 'Dense', params: { units: 3 }, position: { x: 400, y: 0 } },
  ],
  edges: [
    { id: 'e1', from: { node: 'x', port: 'y' }, to: { node: 'bn', port: 'x' } },
    { id: 'e2', from: { node: 'bn', port: 'y' }, to: { node: 'd', port: 'x' } },
  ],
  meta: { name: 'saved with Keras-style momentum' },
});

function bnParams(raw: unknown) {
  const read = migrate(raw);
  if (!read.ok) throw new Error(read.errors.map((e) => e.message).join('; '));
  expect(read.doc.version).toBe(CURRENT_VERSION);
  return read.doc.nodes.find((n) => n.id === 'bn')!.params;
}

describe('version 1 → 2: BatchNorm momentum as PyTorch means it', () => {
  it('turns the old running-value weight into the batch weight, keeping what the graph trains to', () => {
    expect(bnParams(v1({ momentum: 0.9, epsilon: 1e-5 }))).toMatchObject({ momentum: 0.1, epsilon: 1e-5 });
    expect(bnParams(v1({ momentum: 0.75 }))).toMatchObject({ momentum: 0.25, epsilon: 1e-3 });
    expect(bnParams(v1({ momentum: 0 }))).toMatchObject({ momentum: 1 });
  });

  it('writes out the old defaults (0.99, 1e-3) where a saved graph relied on them', () => {
    expect(bnParams(v1({}))).toMatchObject({ momentum: 0.01, epsilon: 1e-3 });
  });

  it('leaves other nodes, and values it cannot read, for validation to judge', () => {
    const up = batchNormMomentumAsPyTorch.up(v1({ momentum: 'fast' })) as { nodes: { params: unknown }[] };
    expect(up.nodes[1].params).toEqual({ momentum: 'fast', epsilon: 1e-3 });
    expect(up.nodes[2].params).toEqual({ units: 3 });
    // Junk where nodes belong is passed through unchanged (the schema names it), never thrown on.
    for (const junk of [null, 3, 'x', { nodes: 'no' }, { nodes: [null, 1, { type: 'BatchNorm', params: 7 }] }]) {
      expect(() => batchNormMomentumAsPyTorch.up(junk)).not.toThrow();
    }
  });

  it('does not touch a current document', () => {
    const current = { ...v1({ momentum: 0.1 }), version: CURRENT_VERSION };
    expect(bnParams(current)).toEqual({ momentum: 0.1 });
  });
});
