/**
 * Records training into runs: the first metrics after a compile begin a run (with a snapshot of
 * the document then open), every later event extends it, and a reset ends it. The live run is
 * written to storage at most every `saveEveryMs`, and at once when training stops.
 */
import type { GraphDocument } from '../../engine/graph/document';
import type { TrainingStore } from '../training/trainingStore';
import type { RunStorage } from './runStorage';
import { thinned, type Run, type RunsStore } from './runs';

export interface RecorderOptions {
  readonly training: TrainingStore;
  readonly runs: RunsStore;
  /** The document being trained, read when a run begins. */
  readonly document: () => GraphDocument;
  readonly storage: RunStorage;
  readonly saveEveryMs?: number;
  /** Told when storage fails (quota, private mode); recording goes on in memory. */
  readonly onError?: (message: string) => void;
}

const forStorage = (run: Run): Run => ({ ...run, points: thinned(run.points), validation: thinned(run.validation) });

/** Loads stored runs, then records; returns a function that stops recording and saves. */
export function startRecorder(o: RecorderOptions): () => void {
  const saveEveryMs = o.saveEveryMs ?? 2000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const report = (e: unknown) => o.onError?.(`runs could not be saved: ${e instanceof Error ? e.message : String(e)}`);
  const save = (id: string | undefined) => {
    const run = id && o.runs.getState().runs.find((r) => r.id === id);
    if (run) o.storage.put(forStorage(run)).catch(report);
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
    if (s.points !== prev.points && s.points.length === 0) {
      // A reset or recompile: the run is over.
      if (runs.live) saveNow(runs.live);
      runs.end();
      return;
    }
    if (s.points === prev.points && s.validation === prev.validation && s.status.state === prev.status.state) return;
    let id = runs.live;
    if (id === undefined) {
      if (s.points.length === 0) return;
      id = runs.begin(o.document()).id;
    }
    runs.update(id, { points: s.points, validation: s.validation, state: s.status.state });
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
