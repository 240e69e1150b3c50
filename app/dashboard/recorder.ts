/**
 * Records training into runs, following the worker's run events: run_started begins a run (with
 * the document it trains and, for a fork, its parent), every later event extends it, and a new
 * run or a closed one ends it. The live run holds the training store's curve itself (one history,
 * bounded there), and is written to storage as it is at most every `saveEveryMs`, and at once when
 * training stops.
 */
import type { TrainingStore } from '../training/trainingStore';
import type { RunStorage } from './runStorage';
import type { RunsStore } from './runs';

export interface RecorderOptions {
  readonly training: TrainingStore;
  readonly runs: RunsStore;
  readonly storage: RunStorage;
  readonly saveEveryMs?: number;
  /** Told when storage fails (quota, private mode); recording goes on in memory. */
  readonly onError?: (message: string) => void;
}

/** Loads stored runs, then records; returns a function that stops recording and saves. */
export function startRecorder(o: RecorderOptions): () => void {
  const saveEveryMs = o.saveEveryMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const report = (e: unknown) => o.onError?.(`runs could not be saved: ${e instanceof Error ? e.message : String(e)}`);
  const save = (id: string | undefined) => {
    const run = id && o.runs.getState().runs.find((r) => r.id === id);
    if (run) o.storage.put(run).catch(report);
  };
  const saveSoon = (id: string) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      save(id);
    }, saveEveryMs);
  };
  const saveNow = (id: string) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    save(id);
  };

  void o.storage.list().then(
    // A run that was training when the page went away did not finish: show it as stopped.
    (stored) => o.runs.getState().load(stored.map((r) => (r.state === 'running' ? { ...r, state: 'paused' } : r))),
    report,
  );

  const unsubscribe = o.training.subscribe((s, prev) => {
    const runs = o.runs.getState();
    if (s.run !== prev.run) {
      // Another run (a restart, a fork, another document) or none: the recorded one is over.
      if (runs.live) saveNow(runs.live);
      runs.end();
      if (s.run) runs.begin(s.run.doc, { id: s.run.id, ...(s.run.parent ? { parent: s.run.parent } : {}) });
    }
    if (s.points === prev.points && s.validation === prev.validation && s.changes === prev.changes && s.status.state === prev.status.state) return;
    const id = o.runs.getState().live;
    if (id === undefined) return;
    runs.update(id, { points: s.points, validation: s.validation, changes: s.changes, state: s.status.state });
    if (s.status.state !== 'running') saveNow(id);
    else saveSoon(id);
  });

  // Deleting or renaming a run is saved straight away.
  const unsubscribeRuns = o.runs.subscribe((s, prev) => {
    for (const r of prev.runs) if (!s.runs.some((x) => x.id === r.id)) o.storage.delete(r.id).catch(report);
    for (const r of s.runs) {
      const before = prev.runs.find((x) => x.id === r.id);
      if (before && (before.name !== r.name || before.visible !== r.visible) && r.id !== s.live) save(r.id);
    }
  });

  return () => {
    unsubscribe();
    unsubscribeRuns();
    const live = o.runs.getState().live;
    if (live) saveNow(live);
  };
}
