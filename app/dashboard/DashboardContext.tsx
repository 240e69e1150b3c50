/** The dashboard's stores (runs and view state) reach components through context, like the editor's. */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useEditorStore } from '../store/context';
import { useTrainingHandle } from '../training/TrainingContext';
import { startRecorder } from './recorder';
import { memoryRunStorage, openRunStorage, type RunStorage } from './runStorage';
import { createRunsStore, type RunsState, type RunsStore } from './runs';
import { createDashboardView, type DashboardView, type DashboardViewStore } from './viewStore';
import { useObserveSync } from './useObserveSync';

interface DashboardHandle {
  readonly runs: RunsStore;
  readonly view: DashboardViewStore;
}

const Ctx = createContext<DashboardHandle | null>(null);

/** Provides the stores, records runs into storage and keeps the worker sampling what is shown. */
export function DashboardProvider({ children, storage }: { children: ReactNode; storage?: RunStorage }) {
  const handle = useMemo<DashboardHandle>(() => ({ runs: createRunsStore(), view: createDashboardView() }), []);
  const editor = useEditorStore();
  const { store: training } = useTrainingHandle();
  useEffect(() => {
    const runStorage = storage ?? (typeof indexedDB === 'undefined' ? memoryRunStorage() : openRunStorage());
    return startRecorder({
      training,
      runs: handle.runs,
      storage: runStorage,
      onError: (text) => editor.getState().notify('error', text),
    });
  }, [handle, training, editor, storage]);
  useObserveSync(handle.view);
  return <Ctx.Provider value={handle}>{children}</Ctx.Provider>;
}

function useHandle(): DashboardHandle {
  const h = useContext(Ctx);
  if (!h) throw new Error('dashboard hooks must be used inside <DashboardProvider>');
  return h;
}

export function useRunsStore(): RunsStore {
  return useHandle().runs;
}

export function useRuns<T>(selector: (s: RunsState) => T): T {
  return useStore(useHandle().runs, selector);
}

export function useDashboardStore(): DashboardViewStore {
  return useHandle().view;
}

export function useDashboard<T>(selector: (s: DashboardView) => T): T {
  return useStore(useHandle().view, selector);
}
