/** The graph canvas: React Flow over the derived view, with minimap, zoom controls and a dotted grid. */
import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, type ColorMode } from '@xyflow/react';
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import { COMPOSITE_TYPES } from '../../engine/graph/nodes/attentionExpand';
import { useEditor, useEditorStore } from '../store/context';
import { CanvasTools } from './CanvasTools';
import { ConnectContext } from './connectContext';
import { ConnectDialog } from './ConnectDialog';
import type { GraphFlowNode } from './flowModel';
import { isLargeGraph } from './largeGraph';
import { nodeTypes } from './nodeTypes';
import { useFlowHandlers } from './useFlowHandlers';
import { FIT_OPTIONS, LARGE_FIT_OPTIONS, useFitRequests } from './useFitRequests';
import { useFlowView } from './useFlowView';
import { useMinimapShown } from './useMinimapShown';
import { useNodeTabbing } from './useNodeTabbing';
import { useProbeClicks } from './useProbeClicks';
import { ZoomedOut } from './ZoomedOut';

// React Flow syncs its props into its store by identity: a new object or array on every render (every
// drag move) would count as a change each time.
const MULTI_SELECT_KEYS = ['Meta', 'Control'];
const DEFAULT_EDGE_OPTIONS = { interactionWidth: 16 };
// What screen readers say on a focused node or edge: the keys that work on it here. (React Flow 12.x reads
// the node text from the "keyboardDisabled" key while keyboard handling is on, so both say the same.)
const NODE_KEYS =
  'Press Enter or Space to select the node, then arrow keys move it and Delete removes it. Press C to connect it to another node, E to expand a Transformer block into its parts.';
const ARIA_LABELS = {
  'node.a11yDescription.default': NODE_KEYS,
  'node.a11yDescription.keyboardDisabled': NODE_KEYS,
  'edge.a11yDescription.default': 'Press Enter or Space to select the edge, then Delete to remove it.',
};

export { RENDER_VISIBLE_ONLY_FROM } from './largeGraph';

/** The key that opens the Connect list on the focused node. */
export const CONNECT_KEY = 'c';
/** The key that expands the focused composite node (a TransformerBlock) into its parts. */
export const EXPAND_KEY = 'e';

/** MiniMap colour per node: red when it has an error. */
const minimapColor = (node: GraphFlowNode) => (node.className?.split(' ').includes('has-error') ? 'var(--danger)' : 'var(--minimap-node)');

export function Canvas() {
  const { nodes, edges } = useFlowView();
  const handlers = useFlowHandlers();
  const probeClicks = useProbeClicks();
  const theme = useEditor((s) => s.theme);
  const store = useEditorStore();
  const wrapper = useRef<HTMLDivElement>(null);
  const large = isLargeGraph(nodes.length);
  const fitOptions = large ? LARGE_FIT_OPTIONS : FIT_OPTIONS;
  const onTab = useNodeTabbing(large, wrapper);
  const minimap = useMinimapShown(large);
  const [connecting, setConnecting] = useState<string | null>(null);
  // Zoomed out past reading: nodes drawn as plain cards (ZoomedOut.tsx).
  const [far, setFar] = useState(false);
  const openConnect = useCallback((id: string) => setConnecting(id), []);
  const closeConnect = useCallback(() => {
    const id = connecting;
    setConnecting(null);
    // Back to the node the list was opened for, once the dialog is gone.
    if (id !== null) requestAnimationFrame(() => wrapper.current?.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`)?.focus());
  }, [connecting]);

  // C on a focused node (or with one node selected and the canvas focused) opens the Connect list; E expands a composite node.
  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      if (onTab(e)) return;
      const key = e.key.toLowerCase();
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || (key !== CONNECT_KEY && key !== EXPAND_KEY)) return;
      const target = e.target as HTMLElement;
      if (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
      const selection = store.getState().selection;
      const id = target.closest('.react-flow__node')?.getAttribute('data-id') ?? (selection.length === 1 ? selection[0] : undefined);
      if (id === undefined || !store.getState().doc.nodes.some((n) => n.id === id)) return;
      if (key === EXPAND_KEY) {
        if (!COMPOSITE_TYPES.has(store.getState().doc.nodes.find((n) => n.id === id)!.type)) return;
        e.preventDefault();
        store.getState().expandNode(id);
        return;
      }
      e.preventDefault();
      setConnecting(id);
    },
    [store, onTab],
  );

  useFitRequests();

  return (
    <ConnectContext.Provider value={openConnect}>
      <ReactFlow<GraphFlowNode>
        ref={wrapper}
        onKeyDown={onKeyDown}
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onlyRenderVisibleElements={large}
        {...(far ? { className: 'zoomed-out' } : {})}
        {...handlers}
        {...probeClicks}
        colorMode={theme satisfies ColorMode}
        fitView={!large}
        fitViewOptions={fitOptions}
        minZoom={0.1}
        maxZoom={2}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        attributionPosition="top-right"
        defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
        ariaLabelConfig={ARIA_LABELS}
        aria-label="Graph canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} />
        {minimap && <MiniMap<GraphFlowNode> pannable zoomable nodeColor={minimapColor} ariaLabel="Mini map" />}
        <Controls showInteractive={false} aria-label="Zoom controls" />
        <CanvasTools />
        <ZoomedOut onChange={setFar} />
      </ReactFlow>
      {connecting !== null && createPortal(<ConnectDialog nodeId={connecting} onClose={closeConnect} />, document.body)}
    </ConnectContext.Provider>
  );
}
