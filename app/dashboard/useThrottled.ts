import { useEffect, useRef, useState } from 'react';

/**
 * `value`, but updated at most every `ms` (the latest value always lands): keeps charts at a steady
 * redraw rate. `lag` delays every update by that much more, so that views fed by the same event can
 * redraw in different tasks rather than all in one long one.
 */
export function useThrottled<T>(value: T, ms: number, lag = 0): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = last.current + ms - performance.now();
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    if (wait <= 0 && lag <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, Math.max(0, wait) + lag);
    return () => clearTimeout(timer);
  }, [value, ms, lag]);
  return shown;
}
