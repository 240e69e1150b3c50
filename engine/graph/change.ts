/**
 * What an edit to a document means for a training run of it (DESIGN.md, "The training session"):
 * - none: nothing the run reads changed (positions, labels, the document's name);
 * - live: a setting the running program takes at its next step (learning rate, schedule,
 *   optimizer hyperparameters, run length);
 * - hot: the graph or a compiled-in setting changed (a node's Trainable switch too): recompile, keep every tensor whose node id
 *   and shape are unchanged, continue the run with its step count;
 * - restart: the run's data or randomness changed (dataset, validation split, seed): only a new
 *   run from fresh weights can take it, and only when the user asks.
 * Pure: the page uses it to say what Resume will do, the worker to decide what to do.
 */
import type { DocEdge, DocNode, GraphDocument } from './document';
import type { TrainingConfig } from './training';
import { isFrozen } from './trainable';

export type ChangeKind = 'none' | 'live' | 'hot' | 'restart';

/** What changed between two versions of a document, and the strongest thing it asks of a run. */
export interface DocumentChange {
  readonly kind: ChangeKind;
  /** One line per changed thing, in the user's words ("learning rate 0.01 → 0.1"). */
  readonly reasons: readonly string[];
}

const RANK: Record<ChangeKind, number> = { none: 0, live: 1, hot: 2, restart: 3 };

/** How each training setting reaches a run (exhaustive: a new setting does not compile until it is classified). */
export const TRAINING_FIELD_KIND: { readonly [K in keyof TrainingConfig]-?: Exclude<ChangeKind, 'none'> } = {
  lr: 'live',
  schedule: 'live',
  epochs: 'live',
  steps: 'live',
  // Same optimizer type: its hyperparameters are fed each step. Another type: see classifyChange.
  optimizer: 'live',
  // Shapes are static: another batch size is a recompile that keeps every tensor.
  batchSize: 'hot',
  dataset: 'restart',
  validationSplit: 'restart',
  seed: 'restart',
};

const TRAINING_LABEL: { readonly [K in keyof TrainingConfig]-?: string } = {
  lr: 'learning rate',
  schedule: 'learning-rate schedule',
  epochs: 'epochs',
  steps: 'steps',
  optimizer: 'optimizer',
  batchSize: 'batch size',
  dataset: 'dataset',
  validationSplit: 'validation split',
  seed: 'seed',
};

/** Key order does not matter; undefined fields count as absent. */
function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

function brief(v: unknown): string {
  if (v === undefined) return 'unset';
  const text =
    typeof v === 'object' && v !== null && 'kind' in v
      ? String((v as { kind: unknown }).kind)
      : typeof v === 'object' && v !== null && 'type' in v
        ? String((v as { type: unknown }).type)
        : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function nodeChanges(prev: readonly DocNode[], next: readonly DocNode[]): string[] {
  const before = new Map(prev.map((n) => [n.id, n]));
  const after = new Map(next.map((n) => [n.id, n]));
  const out: string[] = [];
  for (const [id, n] of after) {
    const old = before.get(id);
    if (!old) out.push(`node ${id} added`);
    else if (old.type !== n.type) out.push(`node ${id}: ${old.type} → ${n.type}`);
    else {
      const keys = [...new Set([...Object.keys(old.params), ...Object.keys(n.params)])].filter((k) => !same(old.params[k], n.params[k]));
      if (keys.length) out.push(`node ${id}: ${keys.map((k) => `${k} ${brief(old.params[k])} → ${brief(n.params[k])}`).join(', ')}`);
      // Hot: the program drops (or gains) the node's gradient and update ops; its weights carry over.
      if (isFrozen(old) !== isFrozen(n)) out.push(`node ${id} ${isFrozen(n) ? 'frozen' : 'trainable again'}`);
    }
  }
  for (const id of before.keys()) if (!after.has(id)) out.push(`node ${id} removed`);
  return out;
}

const tag = (v: unknown) => (v && typeof v === 'object' ? ((v as { type?: unknown; kind?: unknown }).type ?? (v as { kind?: unknown }).kind) : undefined);

/** "optimizer adam: beta1 0.9 → 0.8" for a setting of the same kind, "dataset spirals → mnist" otherwise. */
function describe(label: string, a: unknown, b: unknown): string {
  if (a && b && typeof a === 'object' && typeof b === 'object' && tag(a) === tag(b) && tag(a) !== undefined) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !same(x[k], y[k]));
    return `${label} ${String(tag(a))}: ${keys.map((k) => `${k} ${brief(x[k])} → ${brief(y[k])}`).join(', ')}`;
  }
  return `${label} ${brief(a)} → ${brief(b)}`;
}

const wire = (e: DocEdge) => `${e.from.node}.${e.from.port} → ${e.to.node}.${e.to.port}`;

function edgeChanges(prev: readonly DocEdge[], next: readonly DocEdge[]): string[] {
  const before = new Set(prev.map(wire));
  const after = new Set(next.map(wire));
  return [...[...after].filter((w) => !before.has(w)).map((w) => `wired ${w}`), ...[...before].filter((w) => !after.has(w)).map((w) => `unwired ${w}`)];
}

/** Classify the edit from `prev` (what the run was compiled from) to `next`. */
export function classifyChange(prev: GraphDocument, next: GraphDocument): DocumentChange {
  let kind: ChangeKind = 'none';
  const reasons: string[] = [];
  const note = (k: ChangeKind, reason: string) => {
    if (RANK[k] > RANK[kind]) kind = k;
    reasons.push(reason);
  };
  if (prev.nodes !== next.nodes) nodeChanges(prev.nodes, next.nodes).forEach((r) => note('hot', r));
  if (prev.edges !== next.edges) edgeChanges(prev.edges, next.edges).forEach((r) => note('hot', r));
  if (prev.training !== next.training) {
    for (const key of Object.keys(TRAINING_FIELD_KIND) as (keyof TrainingConfig)[]) {
      const a = prev.training[key];
      const b = next.training[key];
      if (same(a, b)) continue;
      // Another optimizer has other slots: recompile, keep the parameters, start its state afresh.
      const k = key === 'optimizer' && prev.training.optimizer.type !== next.training.optimizer.type ? 'hot' : TRAINING_FIELD_KIND[key];
      note(k, describe(TRAINING_LABEL[key], a, b));
    }
  }
  return { kind, reasons };
}
