/**
 * Inference programs of one document on one backend, prepared on first use and kept for the few
 * most recent requests (validation's full and last partial chunk, the dashboard's views).
 */
import type { Backend, Data, Executable } from '../backends/backend';
import type { GraphDocument } from '../graph/document';
import type { Shape, TensorType } from '../ops/types';
import { compileInference, FEEDS, type CompiledInference } from './compiler';

/** Inference programs kept prepared. */
export const MAX_INFERENCE_PROGRAMS = 4;

/** One batch: the values of each dataset field the graph reads, batch dim first, row-major. */
export type Batch = Readonly<Record<string, Data>>;

/** Outputs by document node id, then port. */
export type ForwardResult = Map<string, Record<string, { data: Data; shape: Shape }>>;

interface Prepared extends CompiledInference {
  readonly exec: Executable;
}

/** The inference side of a session: forward passes on the variables the training program trains. */
export class InferenceCache {
  /** Prepared programs by batch size, fed fields and wanted nodes; least recently used first. */
  private readonly prepared = new Map<string, Prepared>();
  /** The last forward call; the next one waits for it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly doc: GraphDocument,
    private readonly backend: Backend,
    /** Per-sample type of each dataset field the graph reads. */
    private readonly fields: ReadonlyMap<string, TensorType>,
  ) {}

  /**
   * The outputs of every node that the given fields suffice for (only `nodes` when given), with the
   * dropout counter at `counter`. Calls run one at a time: a run overwrites its program's outputs,
   * and a prepared program may be evicted.
   */
  forward(batch: Batch, counter: number, nodes?: readonly string[]): Promise<ForwardResult> {
    const result = this.queue.then(() => this.forwardNow(batch, counter, nodes));
    this.queue = result.catch(() => undefined);
    return result;
  }

  dispose(): void {
    for (const p of this.prepared.values()) p.exec.dispose();
    this.prepared.clear();
  }

  private async forwardNow(batch: Batch, counter: number, nodes: readonly string[] | undefined): Promise<ForwardResult> {
    const fed = [...this.fields.keys()].filter((f) => batch[f] !== undefined);
    if (!fed.length && this.fields.size) throw new Error(`forward needs data for at least one of the fields ${[...this.fields.keys()].join(', ')}`);
    const perSample = fed.length ? this.fields.get(fed[0]!)!.shape.reduce((a, d) => a * d, 1) : 1;
    const batchSize = fed.length ? batch[fed[0]!]!.length / perSample : 1;
    const wanted = nodes && new Set(nodes);
    const key = `${batchSize}:${fed.join(',')}:${nodes?.join(',') ?? '*'}`;
    let prepared = this.prepared.get(key);
    if (prepared) this.prepared.delete(key);
    else {
      const compiled = compileInference(this.doc, batchSize, new Set([...fed, FEEDS.counter.name]), wanted);
      prepared = { ...compiled, exec: await this.backend.prepare(compiled.graph, compiled.spec) };
    }
    this.prepared.set(key, prepared);
    for (const [k, p] of this.prepared) {
      if (this.prepared.size <= MAX_INFERENCE_PROGRAMS) break;
      p.exec.dispose();
      this.prepared.delete(k);
    }
    const { graph, lowered, exec } = prepared;
    const feeds = new Map<string, Data>(fed.map((f) => [f, batch[f]!]));
    feeds.set(FEEDS.counter.name, new Int32Array([counter]));
    exec.run(feeds);
    const reads = [...lowered.outputs]
      .filter(([node]) => !wanted || wanted.has(node))
      .flatMap(([node, ports]) => Object.entries(ports).map(async ([port, id]) => ({ node, port, id, data: await exec.read(id).catch(() => undefined) })));
    const result: ForwardResult = new Map();
    for (const { node, port, id, data } of await Promise.all(reads)) {
      if (!data) continue;
      const entry = result.get(node) ?? {};
      entry[port] = { data, shape: graph.typeOf(id).shape };
      result.set(node, entry);
    }
    return result;
  }
}
