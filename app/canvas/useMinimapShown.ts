/**
 * Whether the minimap is shown now. It draws a rectangle per node, each subscribed to React Flow's
 * store: on a large graph that is most of the work of mounting it, more than the nodes in view. So
 * after a large graph is loaded (or framed again) its minimap mounts in the first idle time after the
 * graph is on screen, instead of in the same task.
 */
import { useEffect, useState } from 'react';
import { useEditor } from '../store/context';

/** At the latest this long after the graph is shown, the minimap mounts even if the page is never idle. */
const IDLE_TIMEOUT_MS = 1000;

export function useMinimapShown(large: boolean): boolean {
  const fitRequest = useEditor((s) => s.fitRequest);
  // The framing (fitRequest) the minimap was last mounted for; -1: not yet.
  const [shownFor, setShownFor] = useState(-1);
  const waiting = large && shownFor !== fitRequest;
  useEffect(() => {
    if (!waiting) return;
    const show = () => setShownFor(fitRequest);
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(show, 100);
      return () => clearTimeout(timer);
    }
    const handle = requestIdleCallback(show, { timeout: IDLE_TIMEOUT_MS });
    return () => cancelIdleCallback(handle);
  }, [waiting, fitRequest]);
  return !waiting;
}
