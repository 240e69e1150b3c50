/**
 * Training runs (TensorBoard's runs): each keeps the document it trained, its hyperparameters and
 * its curves, so runs can be overlaid, compared, renamed and deleted. Session state of the page,
 * persisted apart from the document (runStorage.ts).
 */
import { createStore } from 'zustand/vanilla';
import type { GraphDocument } from '../../engine/graph/document';
import type { MetricPoint, RunChange, TrainState, ValidationPoint } from '../../workers/types';

/** One training run from compile to the next reset. */
export interface Run {
  readonly id: string;
  /** Shown in legends; the user may rename it. */
  readonly name: string;
  /** Wall-clock start (ms since 1970). */
  readonly created: number;
  /** The document as it was trained (its `training` holds the hyperparameters). */
  readonly doc: GraphDocument;
  /** The run's curve: while it trains, the training store's own bounded history (the same arrays, not a copy). */
  readonly points: readonly MetricPoint[];
  readonly validation: readonly ValidationPoint[];
  /** What changed during the run (hot edits, roll backs), for the charts' markers. */
  readonly changes?: readonly RunChange[];
  readonly state: TrainState;
  /** Drawn in the overlaid charts. */
  readonly visible: boolean;
  /** Index into the run colour palette, fixed for the run's life. */
  readonly colour: number;
  /** The run and step it was forked from (its curves up to there are the parent's). */
  readonly parent?: { readonly run: string; readonly step: number };
}

export interface RunsState {
  readonly runs: readonly Run[];
  /** The run that training events are being recorded into. */
  readonly live: string | undefined;
  /** A new live run; `id` is the worker's run id when there is one. */
  begin(doc: GraphDocument, options?: { readonly id?: string; readonly parent?: Run['parent']; readonly now?: number }): Run;
  update(id: string, patch: Partial<Pick<Run, 'points' | 'validation' | 'changes' | 'state'>>): void;
  rename(id: string, name: string): void;
  setVisible(id: string, visible: boolean): void;
  remove(id: string): void;
  /** Stops recording into the live run. */
  end(): void;
  /** Replaces the list (loading stored runs), keeping any run begun before loading finished. */
  load(runs: readonly Run[]): void;
}

/** Run colours, distinct in light and dark themes (TensorBoard's palette order). */
export const RUN_COLOURS = ['#ff7043', '#0077bb', '#cc3311', '#33bbee', '#ee3377', '#009988', '#bbbbbb', '#8e44ad'] as const;

export function runColour(run: Pick<Run, 'colour'>): string {
  return RUN_COLOURS[run.colour % RUN_COLOURS.length]!;
}

/** "Adam · lr 0.01 · batch 32 · spirals": a run's hyperparameters in one line. */
export function describeRun(run: Pick<Run, 'doc'>): string {
  const t = run.doc.training;
  return [
    t.optimizer.type === 'sgd' ? 'SGD' : t.optimizer.type.charAt(0).toUpperCase() + t.optimizer.type.slice(1),
    `lr ${t.lr}`,
    `batch ${t.batchSize}`,
    t.steps ? `${t.steps} steps` : `${t.epochs} epochs`,
    t.dataset.kind,
  ].join(' · ');
}

let counter = 0;
const newId = (now: number) => `run-${now.toString(36)}-${(counter++).toString(36)}`;

export function createRunsStore() {
  return createStore<RunsState>()((set, get) => ({
    runs: [],
    live: undefined,
    begin(doc, options = {}) {
      const now = options.now ?? Date.now();
      const { runs } = get();
      const number = runs.reduce((n, r) => Math.max(n, Number(/^Run (\d+)$/.exec(r.name)?.[1] ?? 0)), 0) + 1;
      const colour = runs.length ? (runs[runs.length - 1]!.colour + 1) % RUN_COLOURS.length : 0;
      const parent = options.parent && runs.find((r) => r.id === options.parent!.run);
      const name = parent ? `Run ${number} (from ${parent.name} @ ${options.parent!.step})` : `Run ${number}`;
      const run: Run = {
        id: options.id ?? newId(now),
        name,
        created: now,
        doc,
        points: [],
        validation: [],
        state: 'running',
        visible: true,
        colour,
        ...(options.parent ? { parent: options.parent } : {}),
      };
      set({ runs: [...runs, run], live: run.id });
      return run;
    },
    update: (id, patch) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...patch } : r)) })),
    rename(id, name) {
      const trimmed = name.trim();
      if (trimmed) set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, name: trimmed } : r)) }));
    },
    setVisible: (id, visible) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, visible } : r)) })),
    remove: (id) => set((s) => ({ runs: s.runs.filter((r) => r.id !== id), live: s.live === id ? undefined : s.live })),
    end: () => set({ live: undefined }),
    load(stored) {
      const current = get().runs.filter((r) => !stored.some((s) => s.id === r.id));
      set({ runs: [...stored, ...current] });
    },
  }));
}

export type RunsStore = ReturnType<typeof createRunsStore>;
