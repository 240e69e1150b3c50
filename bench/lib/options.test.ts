import { describe, expect, it } from 'vitest';
import { MATMULS, matmulKey } from './models';
import { parseOptions } from './options';

const parse = (opts: Record<string, string>) => parseOptions((name) => opts[name]);

describe('bench options', () => {
  it('runs every matmul but the 4096³ one unless asked, and all of them with --matmul all', () => {
    expect(parse({}).matmuls).toEqual(['128x784x256', '128x256x784', '784x128x256', '1024x1024x1024']);
    expect(parse({ matmul: 'all' }).matmuls).toEqual(MATMULS.map(matmulKey));
    expect(parse({ matmul: 'all' }).matmuls).toContain('4096x4096x4096');
    expect(parse({ matmul: 'none' }).matmuls).toEqual([]);
  });

  it('names the option and the choices for an unknown value', () => {
    expect(() => parse({ matmul: '5x5x5' })).toThrow(/--matmul: unknown "5x5x5"; choose from .*4096x4096x4096/);
  });
});
