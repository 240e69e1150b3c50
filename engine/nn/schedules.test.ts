import { describe, expect, it } from 'vitest';
import { ScheduleConfig } from '../graph/training';
import { learningRateAt } from './schedules';

const at = (cfg: unknown, step: number) => learningRateAt(0.1, ScheduleConfig.parse(cfg), step);

describe('learning-rate schedules', () => {
  it('constant', () => expect(at({ type: 'constant' }, 1234)).toBe(0.1));
  it('step: lr·γ^floor(s/size)', () => {
    expect(at({ type: 'step', stepSize: 10, gamma: 0.5 }, 9)).toBeCloseTo(0.1, 12);
    expect(at({ type: 'step', stepSize: 10, gamma: 0.5 }, 25)).toBeCloseTo(0.025, 12);
  });
  it('exponential: lr·γ^(s/decay)', () => expect(at({ type: 'exponential', gamma: 0.5, decaySteps: 100 }, 50)).toBeCloseTo(0.1 * Math.SQRT1_2, 12));
  it('cosine: half way is the midpoint, the end is minLr and stays there', () => {
    expect(at({ type: 'cosine', totalSteps: 100, minLr: 0.02 }, 50)).toBeCloseTo(0.06, 12);
    expect(at({ type: 'cosine', totalSteps: 100, minLr: 0.02 }, 100)).toBeCloseTo(0.02, 12);
    expect(at({ type: 'cosine', totalSteps: 100, minLr: 0.02 }, 500)).toBeCloseTo(0.02, 12);
  });
  it('warm-up ramps linearly, then the schedule starts from its own step 0', () => {
    expect(at({ type: 'constant', warmupSteps: 4 }, 0)).toBeCloseTo(0.025, 12);
    expect(at({ type: 'constant', warmupSteps: 4 }, 3)).toBeCloseTo(0.1, 12);
    expect(at({ type: 'step', stepSize: 2, gamma: 0.5, warmupSteps: 4 }, 6)).toBeCloseTo(0.05, 12);
  });
});
