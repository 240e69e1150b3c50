import { describe, expect, it } from 'vitest';
import { NODE_SPECS } from '../../engine/graph/nodes';
import { matchSpecs } from './paletteSearch';

const types = (q: string) => matchSpecs(Object.values(NODE_SPECS), q).map((s) => s.type);

describe('palette search', () => {
  it('matches label, type, category and description, case-insensitively, every word', () => {
    expect(types('')).toHaveLength(Object.keys(NODE_SPECS).length);
    expect(types('relu')).toEqual(expect.arrayContaining(['ReLU', 'LeakyReLU']));
    expect(types('MSE')).toEqual(['MSELoss']);
    expect(types('mean squared')).toEqual(['MSELoss']);
    expect(types('conv 2d')).toContain('Conv2D');
    expect(types('losses')).toEqual(expect.arrayContaining(['MSELoss', 'SoftmaxCrossEntropy']));
    expect(types('zzzz')).toEqual([]);
  });
});
