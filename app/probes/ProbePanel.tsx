/** The open probes, stacked over the right edge of the canvas; they update as the worker samples them. */
import { useShallow } from 'zustand/react/shallow';
import { useDashboard } from '../dashboard/DashboardContext';
import { useTraining } from '../training/TrainingContext';
import { ProbeCard } from './ProbeCard';
import './probes.css';

/** Each probe redraws this long after the one above it: one card per task rather than all in one long one. */
const PROBE_STAGGER_MS = 40;

export function ProbePanel() {
  const probes = useDashboard((s) => s.probes);
  const readings = useTraining(useShallow((s) => s.observed.probes));
  if (!probes.length) return null;
  return (
    <div className="probe-panel" aria-label="Probes">
      {probes.map((p, i) => (
        <ProbeCard key={p.id} probe={p} reading={readings[p.target.key]} lag={i * PROBE_STAGGER_MS} />
      ))}
    </div>
  );
}
