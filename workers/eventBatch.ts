/**
 * Coalesces the events a trainer emits in one turn (a flush sends metrics, then status, then what
 * the observer sampled) into one message: the page then handles one message and renders once per
 * flush instead of once per event.
 */
import type { TrainEvent } from './types';

/** A listener that queues events and hands them to `send` together, after the current task's microtasks. */
export function batchEvents(send: (events: TrainEvent[]) => void): (e: TrainEvent) => void {
  let queue: TrainEvent[] = [];
  const flush = () => {
    const events = queue;
    queue = [];
    send(events);
  };
  return (e) => {
    if (queue.length === 0) setTimeout(flush, 0);
    queue.push(e);
  };
}
