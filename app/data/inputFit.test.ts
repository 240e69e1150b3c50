import { describe, expect, it } from 'vitest';
import type { DocNode } from '../../engine/graph/document';
import { inputMismatches } from './inputFit';

const input = (id: string, params: Record<string, unknown>, label?: string): DocNode => ({
  id,
  type: 'Input',
  params,
  position: { x: 0, y: 0 },
  ...(label ? { label } : {}),
});
const fields = { x: { shape: [8, 8, 1], dtype: 'f32' as const }, label: { shape: [], dtype: 'i32' as const } };

describe('Input nodes against dataset fields', () => {
  it('accepts Inputs with the same element count and dtype', () => {
    expect(inputMismatches([input('a', { field: 'x', shape: [64] }), input('b', { field: 'label', shape: [], dtype: 'i32' })], fields)).toEqual([]);
  });

  it('fixes a flat Input to the flat size and a shaped one to the field shape', () => {
    expect(inputMismatches([input('a', { field: 'x', shape: [2] }, 'point'), input('c', { field: 'x', shape: [4, 4, 1] })], fields)).toEqual([
      { node: 'a', message: 'point reads "x" as [2] f32; the data holds [8, 8, 1] f32', fix: { shape: [64], dtype: 'f32' } },
      { node: 'c', message: 'c reads "x" as [4, 4, 1] f32; the data holds [8, 8, 1] f32', fix: { shape: [8, 8, 1], dtype: 'f32' } },
    ]);
  });

  it('names a missing field without a fix, and a wrong dtype with one', () => {
    expect(inputMismatches([input('t', { field: 'y', shape: [1] }), input('l', { field: 'label', shape: [] })], fields)).toEqual([
      { node: 't', message: 't reads field "y", which this dataset does not have (it has x, label)' },
      { node: 'l', message: 'l reads "label" as [] f32; the data holds [] i32', fix: { shape: [], dtype: 'i32' } },
    ]);
  });
});
