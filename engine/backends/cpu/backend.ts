import { IndexRangeError } from './kernels/indexing';
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { DType, Op, TensorType } from '../../ops/types';
import { BackendError, type Backend, type Executable, type RunSpec } from '../backend';
import type { CpuKernel, CpuTensor, Data, KernelContext } from './kernel';
import { CPU_KERNELS } from './kernels';

export interface CpuBackendOptions {
  /** Storage for f32 tensors: 'f32' as on a GPU, or 'f64' for reference maths (finite-difference tests). */
  readonly precision?: 'f32' | 'f64';
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
      alloc: (dtype: DType, size: number): Data =>
        dtype === 'f32' ? new Float(size) : dtype === 'i32' ? new Int32Array(size) : new Uint8Array(size),
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

/** Runs the needed nodes in id order, dropping each intermediate after its last use. */
class CpuExecutable implements Executable {
  private readonly schedule: readonly GraphNode[];
  /** lastUse[id] = the schedule position after which value id is no longer needed. */
  private readonly lastUse = new Map<ValueId, number>();
  private readonly retained: ReadonlySet<ValueId>;
  private results = new Map<ValueId, CpuTensor>();
  private logged: Float32Array[] = [];

  constructor(private readonly backend: CpuBackend, graph: Graph, private readonly spec: RunSpec) {
    const roots = [...spec.outputs, ...spec.updates.map((u) => u.value), ...(spec.scalars ?? [])];
    const needed = new Uint8Array(graph.nodes.length);
    const stack = [...roots];
    while (stack.length) {
      const id = stack.pop()!;
      if (needed[id]) continue;
      needed[id] = 1;
      stack.push(...graph.nodes[id]!.inputs);
    }
    this.schedule = graph.nodes.filter((n) => needed[n.id]);
    this.schedule.forEach((n, pos) => n.inputs.forEach((i) => this.lastUse.set(i, pos)));
    this.retained = new Set(roots);
  }

  run(feeds: ReadonlyMap<string, Data>): void {
    const values = new Map<ValueId, CpuTensor>();
    const ctx = this.backend.kernelContext;
    this.schedule.forEach((node, pos) => {
      values.set(node.id, this.compute(node, values, feeds, ctx));
      for (const i of node.inputs) {
        if (this.lastUse.get(i) === pos && !this.retained.has(i)) values.delete(i);
      }
    });
    for (const u of this.spec.updates) {
      const v = values.get(u.value)!;
      this.backend.replaceData(u.name, v.data);
    }
    this.results = new Map(this.spec.outputs.map((id) => [id, values.get(id)!]));
    const scalars = this.spec.scalars ?? [];
    if (scalars.length) this.logged.push(Float32Array.from(scalars, (id) => values.get(id)!.data[0]!));
  }

  async drainScalars(): Promise<Float32Array[]> {
    const out = this.logged;
    this.logged = [];
    return out;
  }

  async settled(): Promise<void> {}

  async countNonFinite(values: readonly ValueId[]): Promise<number[]> {
    return Promise.all(values.map(async (id) => {
      let n = 0;
      for (const v of await this.read(id)) if (!Number.isFinite(v)) n++;
      return n;
    }));
  }

  async read(value: ValueId): Promise<Data> {
    const t = this.results.get(value);
    if (!t) throw new BackendError('validation', `value ${value} was not kept by the last run`);
    return t.data;
  }

  dispose(): void {
    this.results.clear();
    this.logged = [];
  }

  private compute(node: GraphNode, values: Map<ValueId, CpuTensor>, feeds: ReadonlyMap<string, Data>, ctx: KernelContext): CpuTensor {
    const { shape, dtype } = node.type;
    if (node.kind === 'variable') return this.backend.variable(node.name);
    if (node.kind === 'input') {
      const data = feeds.get(node.name);
      if (!data) throw new BackendError('feed', `no data fed for input "${node.name}"`, node.origin);
      if (data.length !== sizeOf(shape)) {
        throw new BackendError('feed', `input "${node.name}" expects ${sizeOf(shape)} values for shape [${shape.join(', ')}] but got ${data.length}`, node.origin);
      }
      const ready = dtype !== 'bool' && data.constructor === ctx.alloc(dtype, 0).constructor;
      return { data: ready ? data : this.backend.convert(dtype, data), shape, dtype };
    }
    const kernel = CPU_KERNELS[node.op] as CpuKernel<Op>;
    const inputs = node.inputs.map((i) => values.get(i)!);
    try {
      return { data: kernel(inputs, node.attrs, node.type, ctx), shape, dtype };
    } catch (e) {
      // Kernels do not know their node: name the document node the op came from.
      throw e instanceof IndexRangeError ? e.at(node.origin) : e;
    }
  }
}
