import { describe, expect, it } from 'vitest';
import { batchEvents } from './eventBatch';
import type { TrainEvent } from './types';

const status = (step: number): TrainEvent => ({ type: 'status', status: { state: 'running', step, epoch: 0, totalSteps: 10, stepsPerSecond: 1 } });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('batchEvents', () => {
  it('sends the events of one turn together, in order, and later turns separately', async () => {
    const sent: TrainEvent[][] = [];
    const emit = batchEvents((es) => sent.push(es));
    emit(status(1));
    emit({ type: 'error', error: { code: 'nan', message: 'loss is NaN', node: 'log' } });
    await Promise.resolve();
    emit(status(2));
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual([[status(1), { type: 'error', error: { code: 'nan', message: 'loss is NaN', node: 'log' } }, status(2)]]);
    emit(status(3));
    await tick();
    expect(sent).toEqual([[status(1), { type: 'error', error: { code: 'nan', message: 'loss is NaN', node: 'log' } }, status(2)], [status(3)]]);
  });
});
