/**
 * Keeps the worker sampling exactly what is on screen: the observe config is sent whenever the
 * view changes and again when a run starts (a restarted worker has forgotten it). While training
 * is paused, a change is sampled at once so a new probe fills in without another step.
 */
import { useEffect } from 'react';
import { useTrainingHandle } from '../training/TrainingContext';
import { observeConfigOf, type DashboardViewStore } from './viewStore';

export function useObserveSync(view: DashboardViewStore): void {
  const { store: training, client } = useTrainingHandle();
  useEffect(() => {
    let sent = '';
    const sync = async (force: boolean) => {
      const config = observeConfigOf(view.getState());
      const text = JSON.stringify(config);
      if (text === sent && !force) return;
      sent = text;
      try {
        const api = client().api;
        await api.observe(config);
        const state = training.getState().status.state;
        if (state === 'paused' || state === 'done' || state === 'error') {
          training.getState().applyAll(await api.observeNow());
        }
      } catch {
        // A dead worker is reported by its watchdog; the next run resends the config.
        sent = '';
      }
    };
    void sync(true);
    const offView = view.subscribe(() => void sync(false));
    const offTraining = training.subscribe((s, prev) => {
      if (s.status.state === 'running' && prev.status.state !== 'running') void sync(true);
      // A single step (or a pause) moved the weights: refresh what is open.
      else if (s.status.state !== 'running' && s.status.step !== prev.status.step) void sync(true);
    });
    return () => {
      offView();
      offTraining();
    };
  }, [view, training, client]);
}
