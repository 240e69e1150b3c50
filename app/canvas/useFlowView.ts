/** The derived React Flow nodes and edges for the current document and session, memoized. */
import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../store/context';
import { validationOf } from '../store/validation';
import { toFlowEdges, toFlowNodes, type GraphFlowNode } from './flowModel';
import { isLargeGraph } from './largeGraph';
import { useMemoryLimits } from './useMemoryLimits';
import { useRuntimeView } from './useRuntimeView';

export function useFlowView() {
  const doc = useEditor((s) => s.doc);
  const view = useEditor(useShallow((s) => ({ selection: s.selection, selectedEdges: s.selectedEdges, dragPositions: s.dragPositions, measured: s.measured })));
  const limits = useMemoryLimits();
  const validation = useMemo(() => validationOf(doc, limits), [doc, limits]);
  const runtime = useRuntimeView();
  // The previous nodes by id: unchanged ones are reused so memoized node components skip rendering.
  const previous = useRef<ReadonlyMap<string, GraphFlowNode>>(new Map());
  // A large graph mounts only the nodes in view: the others get estimated sizes instead of being mounted to be measured.
  const nodes = useMemo(() => toFlowNodes(doc, view, validation, previous.current, runtime, isLargeGraph(doc.nodes.length)), [doc, view, validation, runtime]);
  previous.current = useMemo(() => new Map(nodes.map((n) => [n.id, n])), [nodes]);
  // Edges do not move with dragged nodes: they are rebuilt only when what they show changes.
  const selectedEdges = view.selectedEdges;
  const edges = useMemo(() => toFlowEdges(doc, { selectedEdges }, validation, runtime), [doc, selectedEdges, validation, runtime]);
  return { nodes, edges, validation };
}
