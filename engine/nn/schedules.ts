import type { ScheduleConfig } from '../graph/training';

/**
 * The learning rate for step `step` (0-based), as a Caffe solver's lr_policy would give it:
 * linear warm-up from 0 over warmupSteps, then the schedule counted from the end of warm-up.
 */
export function learningRateAt(base: number, schedule: ScheduleConfig, step: number): number {
  const warm = schedule.warmupSteps;
  if (step < warm) return (base * (step + 1)) / warm;
  const s = step - warm;
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(s / schedule.stepSize);
    case 'exponential':
      return base * schedule.gamma ** (s / schedule.decaySteps);
    case 'cosine': {
      const progress = Math.min(s, schedule.totalSteps) / schedule.totalSteps;
      return schedule.minLr + (base - schedule.minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
    default:
      return schedule satisfies never;
  }
}
