/** Tools over the canvas for looking inside training: colour edges by gradient, show the backward graph of the selection. */
import { Panel } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useDashboard, useDashboardStore } from '../dashboard/DashboardContext';
import { EXPLODING, VANISHING } from '../probes/edgeColour';
import { useEditor } from '../store/context';
import { useTraining } from '../training/TrainingContext';

export function CanvasTools() {
  const dashboard = useDashboardStore();
  const { edgeGradients, probes } = useDashboard(useShallow((s) => ({ edgeGradients: s.edgeGradients, probes: s.probes.length })));
  const selection = useEditor((s) => s.selection);
  const trained = useTraining((s) => s.status.step > 0);
  return (
    <Panel position="top-left" className="canvas-tools" aria-label="Training views">
      <button
        type="button"
        className="btn"
        aria-pressed={edgeGradients}
        onClick={() => dashboard.getState().patch({ edgeGradients: !edgeGradients })}
        title="Colour each edge by the RMS gradient flowing back along it"
      >
        Gradient edges
      </button>
      {edgeGradients && (
        <span className="grad-legend" aria-label="Gradient colour scale">
          <span>{VANISHING.toExponential(0)}</span>
          <span className="grad-legend-bar" aria-hidden="true" />
          <span>{EXPLODING.toExponential(0)}</span>
        </span>
      )}
      <button
        type="button"
        className="btn"
        disabled={selection.length === 0}
        onClick={() => dashboard.getState().showOps({ kind: 'backward', nodes: selection })}
        title="Show the gradient ops autodiff generated for the selected nodes"
      >
        Backward graph
      </button>
      {trained && probes === 0 && <span className="canvas-hint">Click a node or edge to probe it</span>}
    </Panel>
  );
}
