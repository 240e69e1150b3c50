import { IndexRangeError } from './kernels/indexing';
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import type { Kernel } from '../../compile/schedule/kernels';
import { schedule, type Schedule } from '../../compile/schedule/schedule';
import { sizeOf } from '../../ops/shape';
import type { DType, Op, TensorType } from '../../ops/types';
import { countNonFinite, ScalarLog } from '../scalarLog';
import { BackendError, type Backend, type Executable, type RunSpec } from '../backend';
import type { CpuKernel, CpuTensor, Data, KernelContext } from './kernel';
import { runElementwise, runGemm, runReduce } from './fused';
import { CPU_KERNELS } from './kernels';

export interface CpuBackendOptions {
  /** Storage for f32 tensors: 'f32' as on a GPU, or 'f64' for reference maths (finite-difference tests). */
  readonly precision?: 'f32' | 'f64';
  /**
   * Run the schedule's fused kernels (default true: the same plan WebGPU renders, evaluated with the
   * expression table's JS maths); false runs one reference kernel per op (the spec fusion is checked against).
   */
  readonly fused?: boolean;
  /** Buffers one fused kernel may read and write (default 8, as WebGPU plans: the same plan on both). */
  readonly fusionBufferLimit?: number;
}

/** The reference backend: plain typed arrays, every kernel in readable TypeScript. */
export class CpuBackend implements Backend {
  readonly kind = 'cpu' as const;
  readonly device = 'CPU (JavaScript)';
  private readonly variables = new Map<string, CpuTensor>();
  private readonly ctx: KernelContext;

  constructor(readonly options: CpuBackendOptions = {}) {
    const Float = options.precision === 'f64' ? Float64Array : Float32Array;
    this.ctx = {
      alloc: (dtype: DType, size: number): Data => (dtype === 'f32' ? new Float(size) : dtype === 'i32' ? new Int32Array(size) : new Uint8Array(size)),
    };
  }

  /** Copy `data` into fresh storage of this backend's type for `dtype`. */
  convert(dtype: DType, data: ArrayLike<number>): Data {
    const out = this.ctx.alloc(dtype, data.length);
    if (dtype === 'bool') for (let i = 0; i < data.length; i++) out[i] = data[i] ? 1 : 0;
    else out.set(data as ArrayLike<number>);
    return out;
  }

  createVariable(name: string, type: TensorType, init: Data): void {
    if (init.length !== sizeOf(type.shape)) {
      throw new BackendError('variable', `variable ${name} needs ${sizeOf(type.shape)} values but got ${init.length}`);
    }
    this.variables.set(name, { data: this.convert(type.dtype, init), shape: type.shape, dtype: type.dtype });
  }

  hasVariable(name: string): boolean {
    return this.variables.has(name);
  }

  async readVariable(name: string): Promise<Data> {
    return this.variable(name).data.slice();
  }

  writeVariable(name: string, data: Data): void {
    const v = this.variable(name);
    if (data.length !== v.data.length) throw new BackendError('variable', `variable ${name} holds ${v.data.length} values, not ${data.length}`);
    this.variables.set(name, { ...v, data: this.convert(v.dtype, data) });
  }

  deleteVariable(name: string): void {
    this.variables.delete(name);
  }

  variableNames(): string[] {
    return [...this.variables.keys()];
  }

  async prepare(graph: Graph, spec: RunSpec): Promise<Executable> {
    return new CpuExecutable(this, graph, spec);
  }

  dispose(): void {
    this.variables.clear();
  }

  /** @internal */
  variable(name: string): CpuTensor {
    const v = this.variables.get(name);
    if (!v) throw new BackendError('variable', `no variable named ${name}`);
    return v;
  }

  /** @internal Point variable `name` at new storage of the same size (after a training step). */
  replaceData(name: string, data: Data): void {
    const v = this.variable(name);
    this.variables.set(name, { ...v, data });
  }

  /** @internal */
  get kernelContext(): KernelContext {
    return this.ctx;
  }
}

/**
 * Runs the schedule's kernels in order (fused elementwise groups, GEMM epilogues and fused reductions through
 * fused.ts, every other op through its reference kernel), dropping each intermediate after the last
 * kernel that reads it.
 */
class CpuExecutable implements Executable {
  private readonly plan: Schedule;
  private results = new Map<ValueId, CpuTensor>();
  private readonly log = new ScalarLog();

  constructor(
    private readonly backend: CpuBackend,
    graph: Graph,
    private readonly spec: RunSpec,
  ) {
    const { fused, fusionBufferLimit } = backend.options;
    this.plan = schedule(graph, spec, {
      fuse: fused !== false,
      fuseReductions: true,
      ...(fusionBufferLimit ? { maxStorageBuffers: fusionBufferLimit } : {}),
    });
  }

  run(feeds: ReadonlyMap<string, Data>): void {
    const values = new Map<ValueId, CpuTensor>();
    const ctx = this.backend.kernelContext;
    const { nodes, kernels, memory, retained } = this.plan;
    for (const node of nodes) if (node.kind !== 'op') values.set(node.id, this.source(node, feeds, ctx));
    kernels.forEach((kernel, at) => {
      const reads = kernel.reads.map((i) => values.get(i)!);
      const data = this.compute(kernel, reads, ctx);
      kernel.writes.forEach((id, k) => values.set(id, { data: data[k]!, ...typeOf(kernel, id) }));
      for (const i of memory.lastReads[at]!) if (!retained.has(i)) values.delete(i);
    });
    for (const u of this.spec.updates) {
      const v = values.get(u.value)!;
      this.backend.replaceData(u.name, v.data);
    }
    this.results = new Map(this.spec.outputs.map((id) => [id, values.get(id)!]));
    const scalars = this.plan.scalars;
    if (scalars.length) this.log.push(Float32Array.from(scalars, ({ value }) => values.get(value)!.data[0]!));
  }

  async drainScalars(): Promise<Float32Array[]> {
    return this.log.drain();
  }

  async settled(): Promise<void> {}

  countNonFinite(values: readonly ValueId[]): Promise<number[]> {
    return countNonFinite(values, (id) => this.read(id));
  }

  async read(value: ValueId): Promise<Data> {
    const t = this.results.get(value);
    if (!t) throw new BackendError('validation', `value ${value} was not kept by the last run`);
    return t.data;
  }

  dispose(): void {
    this.results.clear();
    this.log.clear();
  }

  /** A variable's tensor, or an input's fed data (checked and converted to this backend's storage). */
  private source(node: GraphNode, feeds: ReadonlyMap<string, Data>, ctx: KernelContext): CpuTensor {
    const { shape, dtype } = node.type;
    if (node.kind === 'variable') return this.backend.variable(node.name);
    if (node.kind !== 'input') throw new Error(`node ${node.id} is computed by a kernel`);
    const data = feeds.get(node.name);
    if (!data) throw new BackendError('feed', `no data fed for input "${node.name}"`, node.origin);
    if (data.length !== sizeOf(shape)) {
      throw new BackendError(
        'feed',
        `input "${node.name}" expects ${sizeOf(shape)} values for shape [${shape.join(', ')}] but got ${data.length}`,
        node.origin,
      );
    }
    const ready = dtype !== 'bool' && data.constructor === ctx.alloc(dtype, 0).constructor;
    return { data: ready ? data : this.backend.convert(dtype, data), shape, dtype };
  }

  /** The data of every value `kernel` writes. */
  private compute(kernel: Kernel, reads: readonly CpuTensor[], ctx: KernelContext): Data[] {
    if (kernel.kind === 'elementwise') return runElementwise(kernel, reads, ctx);
    if (kernel.kind === 'gemm') return [runGemm(kernel, reads, ctx)];
    if (kernel.kind === 'reduce') return [runReduce(kernel, reads, ctx)];
    const { node } = kernel;
    const cpu = CPU_KERNELS[node.op] as CpuKernel<Op>;
    try {
      return [cpu(reads, node.attrs, node.type, ctx)];
    } catch (e) {
      // Kernels do not know their node: name the document node the op came from.
      throw e instanceof IndexRangeError ? e.at(node.origin) : e;
    }
  }
}

/** The type of value `id`, which `kernel` writes. */
function typeOf(kernel: Kernel, id: ValueId): TensorType {
  return kernel.members.find((m) => m.id === id)!.type;
}
