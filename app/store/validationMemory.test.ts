import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMORY_LIMITS, memoryLimitsFor } from '../../engine/graph/memory';
import { makeDoc } from '../../engine/testing/docs';
import { messageOnNode, validationOf } from './validation';

const doc = (units: number) =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [4] }],
      ['d', 'Dense', { units }],
      ['t', 'Input', { field: 'y', shape: [units] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: 2, dataset: { kind: 'random', inputShape: [4], targetShape: [units], size: 10 } },
  );

describe("the editor's validation checks memory", () => {
  it('puts a refusal on the node, with its bytes, and none on a graph that fits', () => {
    const big = doc(1e9);
    const v = validationOf(big);
    const [problem] = v.byNode.get('d') ?? [];
    // kernel [4, 1e9] floats: 16e9 bytes.
    expect(messageOnNode(problem!, big.nodes[1]!)).toBe(
      'Its kernel [4, 1000000000] needs 14.9 GB (16,000,000,000 bytes) in one buffer; this WebGPU device holds at most 128 MB per buffer (maxStorageBufferBindingSize).',
    );
    expect(v.memory!.nodes.get('d')!.parameters).toBe(5e9 * 4);
    const small = validationOf(doc(3));
    expect(small.all).toEqual([]);
    expect(small.memory!.total).toBeGreaterThan(0);
  });

  it('checks against the limits given, caching by their values', () => {
    const d = doc(40_000_000); // kernel 640 MB: over WebGPU's default 128 MB buffer, within a 1 GB one
    const gpu = { kind: 'webgpu', limits: { maxBufferSize: 2 ** 30, maxStorageBufferBindingSize: 2 ** 30 } } as const;
    expect(validationOf(d, DEFAULT_MEMORY_LIMITS).byNode.get('d')).toHaveLength(1);
    const wide = validationOf(d, memoryLimitsFor(gpu));
    expect(wide.byNode.get('d')?.[0]?.message).toMatch(/the memory budget is 2\.0 GB/); // no longer per buffer, but over the budget in all
    expect(validationOf(d, memoryLimitsFor(gpu))).toBe(wide);
  });
});
