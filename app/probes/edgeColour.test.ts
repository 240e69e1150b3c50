import { describe, expect, it } from 'vitest';
import { edgeStyle, magnitudeScale } from './edgeColour';

describe('edge colour by gradient magnitude', () => {
  it('maps RMS to a log scale between 1e-6 and 1e2 (hand-computed)', () => {
    expect(magnitudeScale(1e-6)).toBe(0);
    expect(magnitudeScale(1e2)).toBe(1);
    expect(magnitudeScale(1e-2)).toBeCloseTo(0.5, 12);
    expect(magnitudeScale(0)).toBe(0);
    expect(magnitudeScale(1e9)).toBe(1);
  });

  it('names the level and widens with magnitude', () => {
    expect(edgeStyle(1e-8).level).toBe('vanishing');
    expect(edgeStyle(1e-2)).toMatchObject({ level: 'healthy', stroke: 'hsl(110 75% 48%)', strokeWidth: 2.85, text: '1e-2' });
    expect(edgeStyle(1e3).level).toBe('exploding');
    expect(edgeStyle(Number.POSITIVE_INFINITY)).toMatchObject({ level: 'exploding', stroke: 'hsl(0 75% 48%)', strokeWidth: 4.5 });
    expect(edgeStyle(1e-7).strokeWidth).toBeLessThan(edgeStyle(1).strokeWidth);
  });
});
