/** What training puts on the canvas: the node that went non-finite, open probes, gradient-coloured edges. */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '../dashboard/DashboardContext';
import { useThrottled } from '../hooks/useThrottled';
import { useTraining } from '../training/TrainingContext';
import type { RuntimeView } from './flowModel';

export function useRuntimeView(): RuntimeView {
  const error = useTraining((s) => s.error);
  const rms = useTraining((s) => s.observed.edgeGradients?.rms);
  const edgeRms = useThrottled(rms, 400);
  const { probes, colour } = useDashboard(useShallow((s) => ({ probes: s.probes, colour: s.edgeGradients })));
  return useMemo(() => {
    const failed =
      error?.code === 'nan' && error.node
        ? { node: error.node, message: 'First NaN/Inf appeared here; training paused. Try a lower learning rate.' }
        : undefined;
    return {
      ...(failed && { failed }),
      probedNodes: new Set(probes.filter((p) => !p.id.startsWith('edge:')).map((p) => p.target.node)),
      probedEdges: new Set(probes.filter((p) => p.id.startsWith('edge:')).map((p) => p.id.slice('edge:'.length))),
      ...(colour && edgeRms && { edgeRms }),
    };
  }, [error, probes, colour, edgeRms]);
}
