/** The open probes, stacked over the right edge of the canvas; they update as the worker samples them. */
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '../dashboard/DashboardContext';
import { useThrottled } from '../hooks/useThrottled';
import { useTraining } from '../training/TrainingContext';
import { ProbeCard } from './ProbeCard';
import './probes.css';

export function ProbePanel() {
  const probes = useDashboard((s) => s.probes);
  const live = useTraining(useShallow((s) => s.observed.probes));
  const readings = useThrottled(live, 200);
  if (!probes.length) return null;
  return (
    <div className="probe-panel" aria-label="Probes">
      {probes.map((p) => (
        <ProbeCard key={p.id} probe={p} reading={readings[p.target.key]} />
      ))}
    </div>
  );
}
