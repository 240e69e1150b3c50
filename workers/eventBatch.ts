/**
 * Coalesces the events a trainer emits in one turn (a flush sends metrics, then status, then what
 * the observer sampled) into one message: the page then handles one message and renders once per
 * flush instead of once per event.
 */
import type { TrainEvent } from './types';

export interface EventBatcher {
  /** Queue an event; the queue goes out after the current task. */
  emit(e: TrainEvent): void;
  /** Send what is queued now: call it before answering a command, so its events come before its reply. */
  flush(): void;
}

export function batchEvents(send: (events: TrainEvent[]) => void): EventBatcher {
  let queue: TrainEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!queue.length) return;
    const events = queue;
    queue = [];
    send(events);
  };
  return {
    emit(e) {
      queue.push(e);
      timer ??= setTimeout(flush, 0);
    },
    flush,
  };
}
