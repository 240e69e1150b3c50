import { describe, expect, it } from 'vitest';
import { batchEvents } from './eventBatch';
import type { TrainEvent } from './types';

const status = (step: number): TrainEvent => ({ type: 'status', status: { state: 'running', step, epoch: 0, totalSteps: 10, stepsPerSecond: 1 } });
const nan: TrainEvent = { type: 'error', error: { code: 'nan', message: 'loss is NaN', node: 'log' } };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('batchEvents', () => {
  it('sends the events of one turn together, in order, and later turns separately', async () => {
    const sent: TrainEvent[][] = [];
    const batch = batchEvents((es) => sent.push(es));
    batch.emit(status(1));
    batch.emit(nan);
    await Promise.resolve();
    batch.emit(status(2));
    expect(sent).toEqual([]);
    await tick();
    expect(sent).toEqual([[status(1), nan, status(2)]]);
    batch.emit(status(3));
    await tick();
    expect(sent).toEqual([[status(1), nan, status(2)], [status(3)]]);
  });

  it('flushes at once when asked (before a command replies), and sends nothing twice or empty', async () => {
    const sent: TrainEvent[][] = [];
    const batch = batchEvents((es) => sent.push(es));
    batch.flush();
    expect(sent).toEqual([]);
    batch.emit(status(1));
    batch.flush();
    expect(sent).toEqual([[status(1)]]);
    await tick();
    expect(sent).toEqual([[status(1)]]);
    batch.emit(status(2));
    await tick();
    expect(sent).toEqual([[status(1)], [status(2)]]);
  });
});
