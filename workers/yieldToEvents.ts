/**
 * Let queued messages (pause, step, inspect) run, then continue. Mostly a message posted to
 * ourselves, which comes back after the tasks already queued: `setTimeout(0)` would do the same, but
 * browsers clamp nested timers to 4 ms, a quarter of a training loop that yields every 12 ms. At
 * least every `timerEveryMs` it is a timer after all, so timers (event batching, tests' polls) get
 * their turn even where a stream of port messages would be served first (Node drains a port's queue
 * before its timers).
 */
export function createYield(timerEveryMs = 100, now: () => number = () => performance.now()): () => Promise<void> {
  const viaTimer = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
  if (typeof MessageChannel === 'undefined') return viaTimer;
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  // In Node (tests, the CLI) a port keeps the process alive while referenced: only while a yield waits.
  const port = channel.port1 as MessagePort & { ref?: () => void; unref?: () => void };
  port.onmessage = () => {
    waiting.shift()?.();
    if (!waiting.length) port.unref?.();
  };
  port.unref?.();
  let lastTimer = now();
  return () => {
    if (now() - lastTimer >= timerEveryMs) {
      lastTimer = now();
      return viaTimer();
    }
    return new Promise<void>((resolve) => {
      waiting.push(resolve);
      port.ref?.();
      channel.port2.postMessage(0);
    });
  };
}
