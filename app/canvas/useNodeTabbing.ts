/**
 * Tab and Shift+Tab between nodes on a large graph. There React Flow mounts only the nodes in view
 * (onlyRenderVisibleElements), so the browser's own Tab order ends at the edge of the screen. Here
 * Tab on a focused node moves to the next node of the document (Shift+Tab: the previous one): when
 * that node is off screen the view is centred on it first and it is focused once it has mounted.
 * From the first or last node, Tab leaves the nodes as usual.
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, type KeyboardEvent, type RefObject } from 'react';
import { useEditorStore } from '../store/context';
import type { GraphFlowNode } from './flowModel';

/** How many frames to wait for a node scrolled into view to mount before giving up. */
const MOUNT_FRAMES = 60;

const nodeSelector = (id: string) => `.react-flow__node[data-id="${CSS.escape(id)}"]`;

/** Returns a keydown handler: true when it handled the key. `enabled`: only some nodes are mounted. */
export function useNodeTabbing(enabled: boolean, root: RefObject<HTMLElement | null>) {
  const store = useEditorStore();
  const { getInternalNode, getViewport, setCenter } = useReactFlow<GraphFlowNode>();
  return useCallback(
    (e: KeyboardEvent<HTMLElement>): boolean => {
      if (!enabled || e.key !== 'Tab' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return false;
      const target = e.target as HTMLElement;
      if (!target.classList.contains('react-flow__node')) return false;
      const nodes = store.getState().doc.nodes;
      const index = nodes.findIndex((n) => n.id === target.getAttribute('data-id'));
      const next = index < 0 ? undefined : nodes[index + (e.shiftKey ? -1 : 1)];
      if (next === undefined) return false;
      e.preventDefault();
      const mounted = root.current?.querySelector<HTMLElement>(nodeSelector(next.id));
      // A mounted node: focusing it pans it into view (React Flow's autoPanOnNodeFocus).
      if (mounted) {
        mounted.focus();
        return true;
      }
      const internal = getInternalNode(next.id);
      const at = internal?.internals.positionAbsolute ?? next.position;
      const width = internal?.measured.width ?? 0;
      const height = internal?.measured.height ?? 0;
      void setCenter(at.x + width / 2, at.y + height / 2, { zoom: getViewport().zoom });
      let frames = 0;
      const focusWhenMounted = () => {
        const element = root.current?.querySelector<HTMLElement>(nodeSelector(next.id));
        if (element) element.focus();
        else if (++frames < MOUNT_FRAMES) requestAnimationFrame(focusWhenMounted);
      };
      requestAnimationFrame(focusWhenMounted);
      return true;
    },
    [enabled, root, store, getInternalNode, getViewport, setCenter],
  );
}
