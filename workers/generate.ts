/**
 * The generation panel's commands: text from a prompt, token by token, through the session's
 * inference program on the weights the run holds now (training goes on between calls), and greedy
 * decoding of a synthetic task's validation split with its exact-match accuracy.
 *
 * The model reads i32 token ids [T] and gives logits [T, vocab] (the prediction its sequence loss
 * reads). A prompt shorter than T fills the first positions (the rest are id 0) and the logits at
 * its last position are read; a longer one is cut to its last T tokens (nanoGPT's crop). Both need a
 * causal model (causal attention, RNN, LSTM, GRU): position t must not see positions after it.
 */
import type { Program } from '../engine/compile/program';
import type { Dataset } from '../engine/data';
import { argmax, nextToken, type SamplingOptions } from '../engine/data/sequenceSampling';
import { textCharacters, UNKNOWN_CHAR } from '../engine/data/sequenceText';
import type { GraphDocument } from '../engine/graph/document';
import { getNodeSpec } from '../engine/graph/nodes';

/** What the generation panel needs to know about the open run. */
export interface GenerateInfo {
  /** The dataset field of the token ids the model reads. */
  readonly field: string;
  /** Tokens the model reads at once (T). */
  readonly context: number;
  readonly vocab: readonly string[];
  /** 'task': a synthetic task (fixed prompt and answer lengths); 'text': a character corpus. */
  readonly kind: 'task' | 'text';
  /** Task: tokens before the answer, the separator "=" included, and tokens of the answer. */
  readonly promptLength?: number;
  readonly answerLength?: number;
  /** The node and port whose output is the logits. */
  readonly output: { readonly node: string; readonly port: string };
  /** Samples in the validation split. */
  readonly validation: number;
  /** The first validation samples' prompts (tasks) or openings (text), as text, to start from. */
  readonly examples: readonly string[];
}

export interface GenerateRequest extends SamplingOptions {
  /** The text so far (the user's prompt, then what earlier calls generated). */
  readonly text: string;
  /** Tokens to add in this call. */
  readonly tokens: number;
  readonly seed: number;
  /** Tokens this generation has drawn before this call (so a generation in several calls draws as one). */
  readonly offset?: number;
}

export interface Generation {
  /** The training step of the weights used. */
  readonly step: number;
  /** The new tokens' ids and text. */
  readonly ids: readonly number[];
  readonly text: string;
  /** Characters of the prompt not in the vocabulary (each read as the unknown token, or refused for tasks). */
  readonly unknown: readonly string[];
}

export interface GreedyResult {
  readonly step: number;
  /** Validation sequences decoded. */
  readonly evaluated: number;
  /** Fraction whose whole answer was right. */
  readonly exactMatch: number;
  /** Fraction of answer tokens right. */
  readonly tokenAccuracy: number;
  /** The first few: prompt, expected and decoded answer. */
  readonly examples: readonly { readonly prompt: string; readonly expected: string; readonly decoded: string }[];
}

export interface GenerateContext {
  readonly program: Program;
  readonly doc: GraphDocument;
  readonly dataset: Dataset;
  readonly split: { readonly validation: Int32Array };
}

/** Most validation sequences greedy decoding reads (one forward pass of this batch per answer token). */
export const GREEDY_SAMPLES = 512;
/** Most tokens one generate call adds. */
export const MAX_TOKENS_PER_CALL = 256;

/** The logits node: what the document's loss reads as its prediction. */
function logitsOutput(doc: GraphDocument): { node: string; port: string; targets: Set<string> } {
  const losses = doc.nodes.filter((n) => getNodeSpec(n.type)?.role === 'loss');
  const targets = new Set<string>();
  for (const loss of losses) {
    for (const e of doc.edges.filter((x) => x.to.node === loss.id && x.to.port === 'target')) {
      const src = doc.nodes.find((n) => n.id === e.from.node);
      if (src?.type === 'Input') targets.add(String((src.params as { field?: unknown }).field ?? 'x'));
    }
  }
  for (const loss of losses) {
    const e = doc.edges.find((x) => x.to.node === loss.id && x.to.port === 'pred');
    if (e) return { ...e.from, targets };
  }
  throw new Error('the graph has no loss node with logits wired to its "pred" port: there is nothing to generate from');
}

/** The open run as a sequence model, or an error saying why it is not one. */
export function generateInfo(ctx: GenerateContext): GenerateInfo {
  const ds = ctx.dataset;
  if (!ds.vocab || !ds.sequence)
    throw new Error(`the dataset "${ds.name}" is not a sequence dataset (a text corpus or a sequence task): there is nothing to generate`);
  const { node, port, targets } = logitsOutput(ctx.doc);
  const fields = [...ctx.program.fields].filter(([f]) => !targets.has(f));
  if (fields.length !== 1)
    throw new Error(`generation feeds one field of token ids, but this graph reads ${fields.map(([f]) => f).join(', ') || 'none besides its targets'}`);
  const [field, type] = fields[0]!;
  if (type.dtype !== 'i32' || type.shape.length !== 1)
    throw new Error(
      `generation feeds token ids, i32 [T], but field "${field}" is ${type.dtype} [${type.shape.join(', ')}]: read it with an Input of dtype i32`,
    );
  const T = type.shape[0]!;
  const examples = Array.from(ctx.split.validation.subarray(0, 6), (i) => {
    const ids = ds.data[field]!.subarray(i * T, (i + 1) * T);
    const n = ds.sequence!.kind === 'task' ? ds.sequence!.promptLength! : Math.min(T, 40);
    return Array.from(ids.subarray(0, n), (id) => ds.vocab![id] ?? '').join('');
  });
  return {
    field,
    context: T,
    vocab: ds.vocab,
    kind: ds.sequence.kind,
    output: { node, port },
    validation: ctx.split.validation.length,
    examples,
    ...(ds.sequence.kind === 'task' ? { promptLength: ds.sequence.promptLength!, answerLength: ds.sequence.answerLength! } : {}),
  };
}

/** Ids of `text` in the vocabulary; characters outside it are the unknown token (text) or listed as unknown (tasks: refused by the caller). */
export function encodePrompt(text: string, vocab: readonly string[]): { ids: number[]; unknown: string[] } {
  const index = new Map(vocab.map((c, i) => [c, i]));
  const unk = index.get(UNKNOWN_CHAR);
  const unknown = new Set<string>();
  const ids: number[] = [];
  for (const c of textCharacters(text)) {
    const k = index.get(c);
    if (k === undefined) unknown.add(c);
    ids.push(k ?? unk ?? -1);
  }
  return { ids, unknown: [...unknown] };
}

/**
 * Logits at the last position of each sequence of `batch` (rows of ids, any lengths ≥ 1): every row
 * is cut to its last T tokens and padded with 0 after it; one forward pass for all rows.
 */
async function lastLogits(ctx: GenerateContext, info: GenerateInfo, rows: readonly (readonly number[])[]): Promise<Float32Array[]> {
  const T = info.context;
  const feed = new Int32Array(rows.length * T);
  const at = rows.map((row, r) => {
    const window = row.slice(-T);
    feed.set(window, r * T);
    return window.length - 1;
  });
  const out = await ctx.program.forward({ [info.field]: feed }, { nodes: [info.output.node] });
  const t = out.get(info.output.node)?.[info.output.port];
  if (!t) throw new Error(`node ${info.output.node} (the logits) could not be computed from field "${info.field}" alone`);
  const V = t.shape.at(-1)!;
  if (t.shape.length !== 3 || t.shape[1] !== T)
    throw new Error(`generation reads logits [batch, ${T}, vocab] from node ${info.output.node}, but it gives [${t.shape.join(', ')}]`);
  const n = info.vocab.length;
  if (V < n)
    throw new Error(`node ${info.output.node} gives ${V} logits per position, but the dataset's vocabulary has ${n} tokens: set its units to at least ${n}`);
  // A head wider than the vocabulary (a template sized for any corpus): ids past it name no token and are never drawn.
  return at.map((p, r) => Float32Array.from(t.data.subarray((r * T + p) * V, (r * T + p) * V + n)));
}

/** Up to `tokens` new tokens after `text`, sampled (or greedy at temperature 0) from the current weights. */
export async function generate(ctx: GenerateContext, request: GenerateRequest): Promise<Generation> {
  const info = generateInfo(ctx);
  const { ids, unknown } = encodePrompt(request.text, info.vocab);
  if (!ids.length) throw new Error('type a prompt first: generation continues a text of at least one character');
  if (ids.includes(-1)) throw new Error(`the task's vocabulary is ${info.vocab.join(' ')}; the prompt has ${unknown.map((c) => `"${c}"`).join(', ')}`);
  const count = Math.min(Math.max(0, Math.floor(request.tokens)), MAX_TOKENS_PER_CALL);
  const seq = [...ids];
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const [logits] = await lastLogits(ctx, info, [seq]);
    const next = nextToken(logits!, request, request.seed, (request.offset ?? 0) + i);
    seq.push(next);
    out.push(next);
  }
  return { step: ctx.program.stepCount, ids: out, text: out.map((id) => info.vocab[id] ?? '').join(''), unknown };
}

/**
 * Greedy decoding of a task's validation split: each answer token in turn from the model's own
 * earlier tokens (not the true ones), and the fraction of sequences whose whole answer is right.
 */
export async function greedyAccuracy(ctx: GenerateContext, samples = GREEDY_SAMPLES): Promise<GreedyResult> {
  const info = generateInfo(ctx);
  if (info.kind !== 'task') throw new Error('greedy accuracy is for the synthetic tasks, whose answers are known: a text corpus has none');
  const T = info.context;
  const p = info.promptLength!;
  const a = info.answerLength!;
  const chosen = ctx.split.validation.subarray(0, Math.min(samples, ctx.split.validation.length));
  if (!chosen.length) throw new Error('the validation split is empty: set a validation fraction above 0 in the Training panel');
  const x = ctx.dataset.data[info.field]!;
  const y = ctx.dataset.data.y;
  // The whole string prompt=answer of each sample: x and the last target.
  const truth = Array.from(chosen, (i) => [...x.subarray(i * T, (i + 1) * T), y ? y[(i + 1) * T - 1]! : -1]);
  const rows = truth.map((s) => s.slice(0, p));
  for (let k = 0; k < a; k++) {
    const logits = await lastLogits(ctx, info, rows);
    logits.forEach((l, r) => rows[r]!.push(argmax(l)));
  }
  let exact = 0;
  let tokens = 0;
  rows.forEach((row, r) => {
    let right = 0;
    for (let k = p; k < p + a; k++) if (row[k] === truth[r]![k]) right++;
    tokens += right;
    if (right === a) exact++;
  });
  const text = (ids: readonly number[]) => ids.map((id) => info.vocab[id] ?? '·').join('');
  return {
    step: ctx.program.stepCount,
    evaluated: rows.length,
    exactMatch: exact / rows.length,
    tokenAccuracy: tokens / (rows.length * a),
    examples: rows.slice(0, 8).map((row, r) => ({ prompt: text(row.slice(0, p)), expected: text(truth[r]!.slice(p)), decoded: text(row.slice(p)) })),
  };
}
