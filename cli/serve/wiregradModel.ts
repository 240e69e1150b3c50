/**
 * A Wiregrad document and its trained weights as a served model: the engine's inference program
 * (compileInference: dropout off, batch norm on running statistics) prepared on one backend for each
 * batch size bucket (powers of two up to the batch limit; a smaller batch is padded with zeros, which
 * no other row sees), the weights written into that backend's variables.
 */
import type { Backend, Data, Executable } from '../../engine/backends/backend';
import { compileInference, FEEDS, type CompiledInference } from '../../engine/compile/compiler';
import { ancestors, type ValueId } from '../../engine/compile/graph';
import type { GraphDocument } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { readSafetensors, SafetensorsError } from '../../engine/interchange/safetensors';
import { matchedValues, matchWeights } from '../../engine/interchange/weights';
import { variableSpecs } from '../weights';
import { sampleSize, type ModelRunner, type NamedTensors, type ServedDType, type TensorSignature } from './runner';

/** The model cannot be served as given (its weights do not fit, it has nothing to predict). */
export class ModelLoadError extends Error {}

/** The nodes whose outputs are served: each loss's prediction, or else the graph's sinks. */
export function servedOutputs(doc: GraphDocument): { node: string; port: string }[] {
  const role = (id: string) => getNodeSpec(doc.nodes.find((n) => n.id === id)?.type ?? '')?.role;
  const preds = doc.edges.filter((e) => e.to.port === 'pred' && role(e.to.node) === 'loss').map((e) => e.from);
  const unique = (xs: { node: string; port: string }[]) => [...new Map(xs.map((x) => [`${x.node}.${x.port}`, x])).values()];
  if (preds.length) return unique(preds);
  const consumed = new Set(doc.edges.map((e) => e.from.node));
  const sinks = doc.nodes.filter((n) => !consumed.has(n.id) && !['loss', 'metric'].includes(String(role(n.id))) && n.type !== 'Input');
  return sinks.map((n) => ({ node: n.id, port: 'y' }));
}

/** Batch sizes programs are prepared for: powers of two below `maxBatch`, and `maxBatch`. */
export function batchBuckets(maxBatch: number): number[] {
  const out: number[] = [];
  for (let b = 1; b < maxBatch; b *= 2) out.push(b);
  return [...out, maxBatch];
}

const outputName = (o: { node: string; port: string }) => (o.port === 'y' ? o.node : `${o.node}.${o.port}`);
const dtypeOf = (d: string, what: string): ServedDType => {
  if (d === 'f32' || d === 'i32') return d;
  throw new ModelLoadError(`${what} is of type ${d}, which the server does not serve`);
};

interface Prepared {
  readonly compiled: CompiledInference;
  readonly exec: Executable;
  readonly outputIds: readonly ValueId[];
}

export class WiregradModel implements ModelRunner {
  readonly device: string;
  private readonly prepared = new Map<number, Prepared>();

  private constructor(
    private readonly doc: GraphDocument,
    private readonly backend: Backend,
    readonly inputs: readonly TensorSignature[],
    readonly outputs: readonly TensorSignature[],
    private readonly served: readonly { node: string; port: string }[],
    private readonly buckets: readonly number[],
  ) {
    this.device = backend.device;
  }

  /**
   * Load `weights` (safetensors bytes, as `wiregrad train` writes them) for `doc` onto `backend`
   * (which this model then owns) and prepare its programs for batches up to `maxBatch`.
   */
  static async load(doc: GraphDocument, weights: Uint8Array, backend: Backend, maxBatch: number): Promise<WiregradModel> {
    let values: Record<string, Float32Array>;
    try {
      const file = readSafetensors(weights);
      const match = matchWeights(variableSpecs(doc), file);
      const problems = [...match.missing, ...match.shapeMismatches, ...match.typeMismatches].map((p) => p.message);
      if (problems.length) throw new ModelLoadError(`the weights do not fit the document: ${problems.join('; ')}`);
      values = matchedValues(file, match);
    } catch (e) {
      if (e instanceof SafetensorsError) throw new ModelLoadError(`the weights are not a readable safetensors file: ${e.message}`);
      throw e;
    }
    const served = servedOutputs(doc);
    if (!served.length) throw new ModelLoadError('the graph has no output to serve (no loss with a prediction, no unconsumed node)');
    // Which fields the served outputs read, from the program at batch 1.
    // (The lowering holds every field and output whatever is fed; the run spec is not used.)
    const full = compileInference(doc, 1, new Set(), new Set(served.map((s) => s.node)));
    const outIds = served.map((s) => {
      const id = full.lowered.outputs.get(s.node)?.[s.port];
      if (id === undefined) throw new ModelLoadError(`node "${s.node}" has no output "${s.port}" to serve`);
      return id;
    });
    const read = new Set(
      ancestors(full.graph, outIds)
        .map((a) => full.graph.nodes[a]!)
        .filter((n) => n.kind === 'input')
        .map((n) => n.name),
    );
    const inputs = [...full.lowered.inputs]
      .filter(([f]) => read.has(f))
      .map(([f, i]): TensorSignature => ({ name: f, shape: i.type.shape.slice(1), dtype: dtypeOf(i.type.dtype, `field "${f}"`) }));
    const outputs = served.map((s, k): TensorSignature => {
      const t = full.graph.typeOf(outIds[k]!);
      return { name: outputName(s), shape: t.shape.slice(1), dtype: dtypeOf(t.dtype, `the output of node "${s.node}"`) };
    });
    // The weights into the backend's variables: every variable the inference program reads.
    for (const n of full.graph.nodes) {
      if (n.kind !== 'variable' || backend.hasVariable(n.name)) continue;
      const v = values[n.name];
      if (!v) throw new ModelLoadError(`the weights have no value for variable ${n.name}`);
      backend.createVariable(n.name, n.type, v);
    }
    const model = new WiregradModel(doc, backend, inputs, outputs, served, batchBuckets(maxBatch));
    try {
      for (const b of model.buckets) await model.program(b); // ready for any batch before it serves
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  }

  private async program(bucket: number): Promise<Prepared> {
    const have = this.prepared.get(bucket);
    if (have) return have;
    const compiled = compileInference(
      this.doc,
      bucket,
      new Set([...this.inputs.map((i) => i.name), FEEDS.counter.name]),
      new Set(this.served.map((s) => s.node)),
    );
    const outputIds = this.served.map((s) => compiled.lowered.outputs.get(s.node)![s.port]!);
    const exec = await this.backend.prepare(compiled.graph, { outputs: outputIds, updates: [] });
    const p = { compiled, exec, outputIds };
    this.prepared.set(bucket, p);
    return p;
  }

  async run(inputs: NamedTensors, n: number): Promise<NamedTensors> {
    const bucket = this.buckets.find((b) => b >= n);
    if (bucket === undefined) throw new Error(`a run of ${n} samples is over the batch limit ${this.buckets.at(-1)}`);
    const { exec, outputIds } = await this.program(bucket);
    const feeds = new Map<string, Data>();
    for (const sig of this.inputs) {
      const given = inputs[sig.name]!;
      const padded = sig.dtype === 'i32' ? new Int32Array(bucket * sampleSize(sig)) : new Float32Array(bucket * sampleSize(sig));
      padded.set(given);
      feeds.set(sig.name, padded);
    }
    feeds.set(FEEDS.counter.name, new Int32Array([0]));
    exec.run(feeds);
    const out: Record<string, Float32Array | Int32Array> = {};
    await Promise.all(
      this.outputs.map(async (sig, k) => {
        const data = await exec.read(outputIds[k]!);
        const size = n * sampleSize(sig);
        out[sig.name] = data instanceof Int32Array ? data.slice(0, size) : Float32Array.from(data.subarray(0, size));
      }),
    );
    return out;
  }

  dispose(): void {
    for (const p of this.prepared.values()) p.exec.dispose();
    this.prepared.clear();
    this.backend.dispose();
  }
}
