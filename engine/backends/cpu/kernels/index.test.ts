import { describe, expect, it } from 'vitest';
import { OPS } from '../../../ops/types';
import { CPU_KERNELS } from './index';

describe('CPU_KERNELS', () => {
  it('has a kernel for every op', () => {
    for (const op of OPS) expect(typeof CPU_KERNELS[op], op).toBe('function');
    expect(Object.keys(CPU_KERNELS).sort()).toEqual([...OPS].sort());
  });
});
