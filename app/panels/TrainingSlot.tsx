/** Where the training controls go (dataset, optimizer, run); another part of the studio fills it. */
import type { ReactNode } from 'react';

export function TrainingSlot({ children }: { children?: ReactNode }) {
  return (
    <aside className="panel-section training-slot" aria-label="Training">
      <h2 className="panel-title">Training</h2>
      {children ?? <p className="muted">Training controls load here.</p>}
    </aside>
  );
}
