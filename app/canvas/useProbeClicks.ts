/** Clicking a node or an edge once something has trained opens a probe on it (its output, or the edge's value). */
import type { Edge, NodeMouseHandler } from '@xyflow/react';
import { useCallback, useMemo, type MouseEvent } from 'react';
import type { GraphDocument } from '../../engine/graph/document';
import { useDashboardStore } from '../dashboard/DashboardContext';
import { modelSummary } from '../dashboard/modelSummary';
import { useEditorStore } from '../store/context';
import { displayName } from '../store/names';
import { useTrainingHandle } from '../training/TrainingContext';
import type { GraphFlowNode } from './flowModel';

// The variables a probe can watch, per document: worked out on the first click (a lowering pass), never on an edit.
const variablesByDoc = new WeakMap<GraphDocument, ReadonlyMap<string, readonly string[]>>();
function variablesOf(doc: GraphDocument): ReadonlyMap<string, readonly string[]> {
  let variables = variablesByDoc.get(doc);
  if (variables === undefined) variablesByDoc.set(doc, (variables = modelSummary(doc).variables));
  return variables;
}

export function useProbeClicks() {
  const editor = useEditorStore();
  const dashboard = useDashboardStore();
  const { store: training } = useTrainingHandle();
  // Probes read the compiled program, so they open once a step has run (training, paused or done).
  const canProbe = () => training.getState().status.step > 0;

  const onNodeClick: NodeMouseHandler<GraphFlowNode> = useCallback(
    (_e, node) => {
      if (!canProbe()) return;
      const doc = editor.getState().doc;
      const n = doc.nodes.find((x) => x.id === node.id);
      if (!n) return;
      const port = doc.edges.find((e) => e.from.node === n.id)?.from.port;
      dashboard
        .getState()
        .openProbe({ id: n.id, title: displayName(n), target: { key: n.id, node: n.id, ...(port && { port }) }, variables: variablesOf(doc).get(n.id) ?? [] });
    },
    [editor, dashboard, training],
  );

  const onEdgeClick = useCallback(
    (_e: MouseEvent, edge: Edge) => {
      if (!canProbe()) return;
      const doc = editor.getState().doc;
      const e = doc.edges.find((x) => x.id === edge.id);
      if (!e) return;
      const name = (id: string) => {
        const n = doc.nodes.find((x) => x.id === id);
        return n ? displayName(n) : id;
      };
      const id = `edge:${e.id}`;
      dashboard
        .getState()
        .openProbe({ id, title: `${name(e.from.node)} → ${name(e.to.node)}`, target: { key: id, node: e.from.node, port: e.from.port }, variables: [] });
    },
    [editor, dashboard, training],
  );

  return useMemo(() => ({ onNodeClick, onEdgeClick }), [onNodeClick, onEdgeClick]);
}
