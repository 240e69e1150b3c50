/**
 * A graph prepared for WebGPU: its schedule (engine/compile/schedule: fused kernels, buffer slots, scalar-log
 * slots) rendered to WGSL, pipelines compiled once, bind groups made once. A run is: write the feeds, then ONE command buffer
 * holding every dispatch, the copies that log the scalars (scalar-log.ts) and the copies that apply
 * the updates, submitted once. Nothing is read back during a run; `read` maps a staging copy of a
 * retained output, drainScalars maps the log of many runs at once.
 */
import type { Graph, GraphNode, ValueId } from '../../compile/graph';
import type { Kernel } from '../../compile/schedule/kernels';
import { SAFE_STORAGE_BUFFERS, schedule, type Schedule } from '../../compile/schedule/schedule';
import { formatShape, sizeOf } from '../../ops/shape';
import type { Attrs, Op, TensorType } from '../../ops/types';
import { BackendError, type Data, type Executable, type RunSpec } from '../backend';
import { tuneMatmuls } from './autotune';
import type { WebGpuBackend } from './backend';
import { fusedElementwise } from './fused-elementwise';
import type { Dispatch, KernelPlan, WgslKernel } from './kernel';
import { WGSL_KERNELS } from './kernels';
import { gemmDispatches } from './matmul-epilogue';
import { reduceDispatches } from './fused-reduce';
import { NonFiniteCounter } from './nonfinite';
import { ScalarLog } from './scalar-log';
import { bytesOf, toGpu, USAGE } from './storage';

type InputNode = Extract<GraphNode, { kind: 'input' }>;

/** One dispatch, ready to encode. */
interface Pass {
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly x: number;
  readonly y: number;
  /** What the dispatch computes, for profiles: kernel kind, op and shapes (kernelLabel). */
  readonly label: string;
}

/** One dispatch's time in a profile: its label and the milliseconds from its submit to the queue's idle. */
export interface PassTime {
  readonly label: string;
  readonly workgroups: number;
  readonly ms: number;
}

/** A whole-buffer copy encoded after the dispatches. */
interface Copy {
  readonly from: GPUBuffer;
  readonly to: GPUBuffer;
}

/** Everything run() needs, fixed at prepare time. */
interface Prepared {
  readonly inputs: readonly { readonly node: InputNode; readonly buffer: GPUBuffer }[];
  readonly passes: readonly Pass[];
  /** Variables read as outputs or update sources are copied here first, so they keep their old values. */
  readonly snapshots: readonly Copy[];
  /** The updates: new value → variable buffer. */
  readonly updates: readonly Copy[];
  /** Retained outputs and logged scalars, readable after a run. */
  readonly outputs: ReadonlyMap<ValueId, { readonly buffer: GPUBuffer; readonly type: TensorType }>;
  readonly log: ScalarLog;
  /** Buffers this executable made (not the variables): destroyed by dispose(). */
  readonly owned: readonly GPUBuffer[];
}

/** How an error names a node: its document node (origin), op and value id. */
function describe(node: GraphNode): string {
  const what = node.kind === 'op' ? node.op : `${node.kind} "${node.name}"`;
  return `node ${node.origin ?? '(internal)'} (${what}, value ${node.id})`;
}

/** The schedule of a run (engine/compile/schedule): fused unless the backend's options turn fusion off. */
function planRun(backend: WebGpuBackend, graph: Graph, spec: RunSpec): Schedule {
  // At most 8 (WebGPU's guaranteed default) even where the device reports more: Chromium's
  // SwiftShader device reported more yet refused an 11-buffer layout ("Invalid PipelineLayout").
  const maxStorageBuffers = Math.min(backend.gpu.limits.maxStorageBuffersPerShaderStage, backend.options.fusionBufferLimit ?? SAFE_STORAGE_BUFFERS);
  return schedule(graph, spec, { fuse: backend.options.fuse !== false, fuseReductions: true, maxStorageBuffers });
}

/**
 * A profile's name for a kernel: 'gemm matmul [m, k]·[k, n]ᵀ' (operands, ᵀ for a transposed one;
 * '+epilogue' when elementwise ops are fused in), 'elementwise(n ops) shape', or family, op and output shape.
 */
function kernelLabel(graph: Graph, kernel: Kernel): string {
  if (kernel.kind === 'elementwise') return `elementwise(${kernel.members.length}) ${formatShape(kernel.node.type.shape)}`;
  if (kernel.kind === 'reduce') return `reduction ${kernel.op}+fused ${formatShape(kernel.node.type.shape)}`;
  const mm = kernel.kind === 'gemm' ? kernel.matmul : kernel.node;
  if (mm.op === 'matmul') {
    const { transA, transB } = mm.attrs as Attrs<'matmul'>;
    const [a, b] = mm.inputs.map((id) => formatShape(graph.nodes[id]!.type.shape));
    return `gemm matmul ${a}${transA ? 'ᵀ' : ''}·${b}${transB ? 'ᵀ' : ''}${kernel.kind === 'gemm' ? '+epilogue' : ''}`;
  }
  const family = kernel.kind === 'op' ? kernel.family : kernel.kind;
  return `${family} ${mm.op} ${formatShape(kernel.node.type.shape)}`;
}

/** The dispatches of one kernel, or the data of a constant. */
function render(backend: WebGpuBackend, graph: Graph, kernel: Kernel): KernelPlan {
  if (kernel.kind === 'elementwise')
    return {
      dispatches: [
        fusedElementwise(
          kernel,
          kernel.reads.map((id) => graph.nodes[id]!.type),
        ),
      ],
    };
  if (kernel.kind === 'gemm') return { dispatches: gemmDispatches(graph, kernel, backend.options) };
  if (kernel.kind === 'reduce') return reduceDispatches(graph, kernel);
  const { node } = kernel;
  const wgsl = WGSL_KERNELS[node.op] as WgslKernel<Op>;
  return wgsl({ inputs: node.inputs.map((i) => graph.nodes[i]!.type), attrs: node.attrs, out: node.type, options: backend.options });
}

export class WebGpuExecutable implements Executable {
  /** Compute dispatches each run encodes. */
  readonly dispatchesPerRun: number;
  private lastRun: Promise<BackendError | undefined> | undefined;
  private disposed = false;
  private readonly counter: NonFiniteCounter;

  private constructor(
    private readonly backend: WebGpuBackend,
    private readonly p: Prepared,
  ) {
    this.dispatchesPerRun = p.passes.length;
    this.counter = new NonFiniteCounter(backend);
  }

  static async prepare(backend: WebGpuBackend, graph: Graph, spec: RunSpec): Promise<WebGpuExecutable> {
    const device = backend.gpu;
    const scalars = spec.scalars ?? [];
    const plan = planRun(backend, graph, spec);
    const { nodes, kernels, memory } = plan;
    await tuneMatmuls(backend, nodes);
    const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    for (const node of nodes) {
      const bytes = sizeOf(node.type.shape) * 4;
      if (bytes > maxBytes) {
        throw new BackendError(
          'limits',
          `${describe(node)}: its ${formatShape(node.type.shape)} tensor needs ${bytes} bytes but this GPU binds at most ${maxBytes} bytes per buffer`,
          node.origin,
        );
      }
    }
    for (const id of scalars) {
      const node = graph.nodes[id]!;
      if (sizeOf(node.type.shape) !== 1)
        throw new BackendError('validation', `${describe(node)}: a logged scalar must hold one element, not ${formatShape(node.type.shape)}`, node.origin);
    }
    const owned: GPUBuffer[] = [];
    const buffers = new Map<ValueId, GPUBuffer>();
    const slots: GPUBuffer[] = []; // the memory plan's slots, made on first use
    const inputs: { node: InputNode; buffer: GPUBuffer }[] = [];
    const pending: { work: Kernel; dispatch: Dispatch; pipeline: Promise<GPUComputePipeline> }[] = [];
    const errors: Promise<BackendError | undefined>[] = [];
    const fresh = (node: GraphNode, bytes: number): GPUBuffer => {
      const b = backend.createBuffer(bytes, describe(node));
      owned.push(b);
      return b;
    };
    /** Run f with validation and out-of-memory scopes whose errors name `node`. */
    const scoped = (node: GraphNode, f: () => void): void => {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      try {
        f();
      } finally {
        const validation = device.popErrorScope();
        const oom = device.popErrorScope();
        errors.push(
          Promise.all([validation, oom]).then(([v, o]) => {
            if (o) return new BackendError('oom', `${describe(node)}: out of GPU memory: ${o.message}`, node.origin);
            if (v) return new BackendError('validation', `${describe(node)}: ${v.message}`, node.origin);
            return undefined;
          }),
        );
      }
    };

    try {
      for (const node of nodes) {
        if (node.kind === 'op') continue;
        scoped(node, () => {
          if (node.kind === 'variable') {
            const v = backend.variable(node.name);
            if (bytesOf(v.type) !== bytesOf(node.type))
              throw new BackendError('variable', `variable ${node.name} holds ${formatShape(v.type.shape)}, not ${formatShape(node.type.shape)}`, node.origin);
            buffers.set(node.id, v.buffer);
          } else {
            buffers.set(node.id, fresh(node, bytesOf(node.type)));
            inputs.push({ node, buffer: buffers.get(node.id)! });
          }
        });
      }
      for (const w of kernels) {
        const { node } = w;
        scoped(node, () => {
          const plan = render(backend, graph, w);
          // Each written value goes to its planned slot: retained values and constants own theirs, the others share released ones.
          for (const id of w.writes) {
            const slot = memory.slotOf.get(id)!;
            slots[slot] ??= fresh(graph.nodes[id]!, memory.slots[slot]! * 4);
            buffers.set(id, slots[slot]);
          }
          if ('data' in plan) {
            device.queue.writeBuffer(buffers.get(node.id)!, 0, plan.data);
            return;
          }
          for (const d of plan.dispatches) {
            if (d.workgroups === 0) continue;
            pending.push({ work: w, dispatch: d, pipeline: backend.pipeline(d.code, d.inputs.length, d.params !== undefined, w.writes.length) });
          }
        });
      }

      const pipelines = await Promise.all(
        pending.map(({ work: { node }, pipeline }) =>
          pipeline.catch((e: unknown) => {
            throw new BackendError(
              'validation',
              `${describe(node)}: its WGSL kernel failed to compile: ${e instanceof Error ? e.message : String(e)}`,
              node.origin,
            );
          }),
        ),
      );
      const maxPerDim = device.limits.maxComputeWorkgroupsPerDimension;
      const passes: Pass[] = [];
      pending.forEach(({ work: w, dispatch: d }, k) =>
        scoped(w.node, () => {
          const bound = [...d.inputs.map((i) => buffers.get(w.reads[i]!)!), ...w.writes.map((id) => buffers.get(id)!)];
          if (d.params) {
            const uniform = backend.createBuffer(Math.ceil(d.params.length / 4) * 16, `${describe(w.node)} params`, USAGE.UNIFORM | USAGE.COPY_DST);
            owned.push(uniform);
            device.queue.writeBuffer(uniform, 0, Uint32Array.from(d.params));
            bound.push(uniform);
          }
          const bindGroup = device.createBindGroup({
            layout: backend.layout(d.inputs.length, d.params !== undefined, w.writes.length),
            entries: bound.map((buffer, binding) => ({ binding, resource: { buffer } })),
            label: describe(w.node),
          });
          // More workgroups than one dimension allows spread over a 2-D grid; shaders see a linear id.
          const x = Math.min(d.workgroups, maxPerDim);
          passes.push({ pipeline: pipelines[k]!, bindGroup, x, y: Math.ceil(d.workgroups / x), label: kernelLabel(graph, w) });
        }),
      );

      const snapshotOf = new Map<ValueId, GPUBuffer>();
      const snapshots: Copy[] = [];
      for (const id of plan.snapshots) {
        const node = graph.nodes[id]!;
        const to = fresh(node, bytesOf(node.type));
        snapshots.push({ from: buffers.get(id)!, to });
        snapshotOf.set(id, to);
      }
      const source = (id: ValueId) => snapshotOf.get(id) ?? buffers.get(id)!;
      const updates = spec.updates.map((u) => {
        const target = backend.variable(u.name);
        const type = graph.nodes[u.value]!.type;
        if (bytesOf(target.type) !== bytesOf(type)) {
          throw new BackendError(
            'variable',
            `update of ${u.name} ${formatShape(target.type.shape)} with a ${formatShape(type.shape)} value`,
            graph.nodes[u.value]!.origin,
          );
        }
        return { from: source(u.value), to: target.buffer };
      });
      const outputs = new Map([...spec.outputs, ...scalars].map((id) => [id, { buffer: source(id), type: graph.nodes[id]!.type }]));
      const log = new ScalarLog(
        backend,
        plan.scalars.map(({ value, dtype }) => ({ buffer: source(value), dtype })),
      );

      const failed = (await Promise.all(errors)).find((e) => e !== undefined);
      if (failed) throw failed;
      return new WebGpuExecutable(backend, { inputs, passes, snapshots, updates, outputs, log, owned });
    } catch (e) {
      owned.forEach((b) => backend.destroyBuffer(b));
      throw e;
    }
  }

  run(feeds: ReadonlyMap<string, Data>): void {
    this.backend.alive();
    if (this.disposed) throw new BackendError('validation', 'this program was disposed');
    const { inputs, passes, snapshots, updates, log } = this.p;
    for (const { node } of inputs) {
      const data = feeds.get(node.name);
      if (!data) throw new BackendError('feed', `no data fed for input "${node.name}"`, node.origin);
      const n = sizeOf(node.type.shape);
      if (data.length !== n) {
        throw new BackendError(
          'feed',
          `input "${node.name}" expects ${n} values for shape ${formatShape(node.type.shape)} but got ${data.length}`,
          node.origin,
        );
      }
    }
    const device = this.backend.gpu;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    for (const { node, buffer } of inputs) device.queue.writeBuffer(buffer, 0, toGpu(node.type.dtype, feeds.get(node.name)!));
    const encoder = device.createCommandEncoder();
    if (passes.length) {
      const pass = encoder.beginComputePass();
      for (const p of passes) {
        pass.setPipeline(p.pipeline);
        pass.setBindGroup(0, p.bindGroup);
        pass.dispatchWorkgroups(p.x, p.y);
      }
      pass.end();
    }
    // Every new value exists before any variable changes, so all reads saw the old values.
    for (const c of snapshots) encoder.copyBufferToBuffer(c.from, 0, c.to, 0, c.to.size);
    log.record(encoder);
    for (const c of updates) if (c.from !== c.to) encoder.copyBufferToBuffer(c.from, 0, c.to, 0, c.to.size);
    device.queue.submit([encoder.finish()]);
    this.backend.dispatched += passes.length;
    const validation = device.popErrorScope();
    const oom = device.popErrorScope();
    this.lastRun = Promise.all([validation, oom]).then(
      ([v, o]) => {
        if (o) return new BackendError('oom', `out of GPU memory while running: ${o.message}`);
        if (v) return new BackendError('validation', `running the program failed: ${v.message}`);
        return undefined;
      },
      () => undefined,
    ); // a lost device rejects the scopes; the caller hears device_lost instead
  }

  /**
   * A profiling run (bench/profile-gpt.ts): the same dispatches as run(), each submitted alone and
   * waited for, so each one's time is its own (plus one submit's overhead). Updates are not applied.
   */
  async profile(feeds: ReadonlyMap<string, Data>): Promise<PassTime[]> {
    this.usable();
    const device = this.backend.gpu;
    for (const { node, buffer } of this.p.inputs) {
      const data = feeds.get(node.name);
      if (!data) throw new BackendError('feed', `no data fed for input "${node.name}"`, node.origin);
      device.queue.writeBuffer(buffer, 0, toGpu(node.type.dtype, data));
    }
    await device.queue.onSubmittedWorkDone();
    const times: PassTime[] = [];
    for (const p of this.p.passes) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(p.pipeline);
      pass.setBindGroup(0, p.bindGroup);
      pass.dispatchWorkgroups(p.x, p.y);
      pass.end();
      const start = performance.now();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      times.push({ label: p.label, workgroups: p.x * p.y, ms: performance.now() - start });
    }
    return times;
  }

  async read(value: ValueId): Promise<Data> {
    const out = this.kept(value);
    await this.runError();
    return this.backend.readBuffer(out.buffer, out.type);
  }

  async drainScalars(): Promise<Float32Array[]> {
    this.usable();
    // Start the drain now, so it holds exactly the runs submitted before this call.
    const drained = this.p.log.drain();
    // Both awaited together: if the run failed (device lost), the drain's own rejection is handled too.
    const [, runs] = await Promise.all([this.runError(), drained]);
    return runs;
  }

  async settled(): Promise<void> {
    this.backend.alive();
    await this.backend.guard(this.backend.gpu.queue.onSubmittedWorkDone(), 'waiting for the GPU');
    this.backend.alive();
  }

  async countNonFinite(values: readonly ValueId[]): Promise<number[]> {
    const kept = values.map((id) => this.kept(id));
    await this.runError();
    return this.counter.count(kept);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.backend.isDisposed) return;
    this.p.log.dispose();
    this.counter.dispose();
    this.p.owned.forEach((b) => this.backend.destroyBuffer(b));
  }

  /** Throw unless this executable can still be used on a live device. */
  private usable(): void {
    this.backend.alive();
    if (this.disposed) throw new BackendError('validation', 'this program was disposed');
  }

  /** The buffer of a value the last run kept. */
  private kept(value: ValueId): { readonly buffer: GPUBuffer; readonly type: TensorType } {
    this.usable();
    const out = this.p.outputs.get(value);
    if (!out || !this.lastRun) throw new BackendError('validation', `value ${value} was not kept by the last run`);
    return out;
  }

  /** The last run's validation or memory error, if it had one (device_lost if the device went meanwhile). */
  private async runError(): Promise<void> {
    const error = this.lastRun && (await this.backend.guard(this.lastRun, 'running the program'));
    if (error) throw error;
  }
}
