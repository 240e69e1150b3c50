/** One training worker per page, reached through context; its events land in the training store. */
import { createContext, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { TrainerClient } from '../../workers/client';
import { createTrainingStore, type TrainingState, type TrainingStore } from './trainingStore';

interface TrainingHandle {
  readonly store: TrainingStore;
  /** The worker's client, started on first use (and again after release()). */
  readonly client: () => TrainerClient;
  /** Terminate the worker; the next client() call starts a fresh one. */
  readonly release: () => void;
}

const Ctx = createContext<TrainingHandle | null>(null);

export function TrainingProvider({ children }: { children: ReactNode }) {
  const handle = useMemo<TrainingHandle>(() => {
    const store = createTrainingStore();
    let client: TrainerClient | undefined;
    return {
      store,
      client: () =>
        (client ??= new TrainerClient({
          onEvents: (events) => store.getState().applyAll(events),
          onFailure: (failure) => store.getState().patch({ failure, busy: false }),
        })),
      release: () => {
        client?.dispose();
        client = undefined;
      },
    };
  }, []);
  useEffect(() => {
    // A small handle for tests and the console (Excalidraw's window.h): kill the worker as a crash would.
    (window as unknown as { wiregrad?: object }).wiregrad = { killWorker: () => handle.client().kill() };
    // The device's real limits, for the memory estimate, before anything is compiled (a compile's report replaces them).
    void handle
      .client()
      .api.backendInfo()
      .then(
        (backend) => handle.store.getState().backend ?? handle.store.getState().patch({ backend }),
        () => undefined,
      );
    // React's development mode runs this cleanup and the effect again at once: release the worker so
    // the second mount (and every effect that calls client()) gets a fresh one, never a released proxy.
    return handle.release;
  }, [handle]);
  return <Ctx.Provider value={handle}>{children}</Ctx.Provider>;
}

export function useTrainingHandle(): TrainingHandle {
  const h = useContext(Ctx);
  if (!h) throw new Error('useTraining must be used inside <TrainingProvider>');
  return h;
}

export function useTraining<T>(selector: (s: TrainingState) => T): T {
  return useStore(useTrainingHandle().store, selector);
}
