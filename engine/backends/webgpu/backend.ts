import type { Graph } from '../../compile/graph';
import { sizeOf } from '../../ops/shape';
import type { TensorType } from '../../ops/types';
import { BackendError, type Backend, type Data, type Executable, type RunSpec } from '../backend';
import { WebGpuExecutable } from './executable';
import type { KernelOptions } from './kernel';
import { bytesOf, fromGpu, MAP_MODE_READ, toGpu, USAGE } from './storage';

/** Limits worth raising to what the adapter offers (the defaults are far below a real GPU's). */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** GPUShaderStage.COMPUTE (see USAGE). */
const STAGE_COMPUTE = 0x4;

/** Kernel variants plus how the executable plans work. */
export interface WebGpuOptions extends KernelOptions {
  /** Fuse elementwise chains and matmul epilogues (default true); false runs one kernel per op (A/B benchmarks, tests). */
  readonly fuse?: boolean;
  /** Storage buffers one fused kernel may bind (default 8, the limit every WebGPU device supports; never above the device's). */
  readonly fusionBufferLimit?: number;
}

/** Every buffer a backend makes can be bound as storage and copied both ways. */
export const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;

interface Variable {
  readonly buffer: GPUBuffer;
  readonly type: TensorType;
}

/**
 * The WebGPU backend: variables are GPU buffers by name; a prepared graph is one command buffer of
 * WGSL compute dispatches per run (executable.ts). Pipelines are cached by their generated code.
 */
export class WebGpuBackend implements Backend {
  readonly kind = 'webgpu' as const;
  /** GPU buffers this backend holds now (variables, planned values, staging) and their bytes. */
  liveBuffers = 0;
  liveBytes = 0;
  /** The most liveBytes has been since the backend was made or since resetPeak() (benchmarks: a step's peak device memory). */
  peakBytes = 0;
  /** Compute dispatches encoded so far by every run (for tests and benchmarks: dispatches per step). */
  dispatched = 0;
  private readonly variables = new Map<string, Variable>();
  private readonly pipelines = new Map<string, Promise<GPUComputePipeline>>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();
  private readonly staging = new Map<number, GPUBuffer[]>();
  private lost: GPUDeviceLostInfo | undefined;
  /** Rejects with device_lost once the device is lost (never resolves). */
  private readonly lostError: Promise<never>;
  /** True after dispose(): executables no longer own live buffers. */
  isDisposed = false;

  private constructor(
    readonly gpu: GPUDevice,
    readonly device: string,
    readonly options: WebGpuOptions,
  ) {
    this.lostError = gpu.lost.then((info) => {
      this.lost = info;
      throw this.lostMessage();
    });
    this.lostError.catch(() => {}); // observed by guard(); unobserved it would be an unhandled rejection
  }

  /**
   * Ask `gpu` (navigator.gpu by default) for an adapter and a device with the adapter's larger
   * limits; `options` picks kernel variants and fusion. No WebGPU, no adapter or no device:
   * BackendError('unavailable').
   */
  static async create(gpu: GPU | undefined = globalThis.navigator?.gpu, options: WebGpuOptions = {}): Promise<WebGpuBackend> {
    if (!gpu) throw new BackendError('unavailable', 'WebGPU is not available here (no navigator.gpu)');
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
    if (!adapter) throw new BackendError('unavailable', 'WebGPU found no adapter (no GPU, or no driver such as SwiftShader)');
    const requiredLimits: Record<string, number> = {};
    for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({ requiredLimits });
    } catch (e) {
      throw new BackendError('unavailable', `the WebGPU adapter refused a device: ${e instanceof Error ? e.message : String(e)}`);
    }
    const { vendor, architecture, description } = adapter.info;
    const name = [vendor, architecture, description].filter(Boolean).join(' ') || 'WebGPU adapter';
    // A software adapter (SwiftShader) runs on the CPU, where register tiles always win and
    // measuring the alternatives costs seconds of compile: there the fixed rule picks, unless asked.
    const software = (adapter.info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true || /swiftshader/i.test(name);
    const tune = options.tune ?? !software;
    return new WebGpuBackend(device, name, { tuned: new Map(), ...options, tune }); // tuned: this backend's measured GEMM variants (autotune.ts)
  }

  createVariable(name: string, type: TensorType, init: Data): void {
    this.alive();
    if (init.length !== sizeOf(type.shape)) {
      throw new BackendError('variable', `variable ${name} needs ${sizeOf(type.shape)} values but got ${init.length}`);
    }
    const old = this.variables.get(name);
    if (old) this.destroyBuffer(old.buffer);
    const buffer = this.createBuffer(bytesOf(type), `variable ${name}`);
    this.variables.set(name, { buffer, type });
    this.gpu.queue.writeBuffer(buffer, 0, toGpu(type.dtype, init));
  }

  hasVariable(name: string): boolean {
    return this.variables.has(name);
  }

  readVariable(name: string): Promise<Data> {
    const v = this.variable(name);
    return this.readBuffer(v.buffer, v.type);
  }

  writeVariable(name: string, data: Data): void {
    const v = this.variable(name);
    if (data.length !== sizeOf(v.type.shape)) {
      throw new BackendError('variable', `variable ${name} holds ${sizeOf(v.type.shape)} values, not ${data.length}`);
    }
    // The same buffer keeps its identity, so prepared bind groups stay valid.
    this.gpu.queue.writeBuffer(v.buffer, 0, toGpu(v.type.dtype, data));
  }

  deleteVariable(name: string): void {
    const v = this.variables.get(name);
    if (!v) return;
    this.variables.delete(name);
    if (!this.isDisposed) this.destroyBuffer(v.buffer);
  }

  variableNames(): string[] {
    return [...this.variables.keys()];
  }

  prepare(graph: Graph, spec: RunSpec): Promise<Executable> {
    this.alive();
    return WebGpuExecutable.prepare(this, graph, spec);
  }

  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    for (const v of this.variables.values()) this.destroyBuffer(v.buffer);
    this.variables.clear();
    for (const list of this.staging.values()) list.forEach((b) => this.destroyBuffer(b));
    this.staging.clear();
    this.pipelines.clear();
    this.gpu.destroy();
  }

  /** @internal Throw BackendError('device_lost') once the device is gone. */
  alive(): void {
    if (this.lost) throw this.lostMessage();
  }

  /**
   * @internal `work` (something waiting on the device), rejecting with device_lost as soon as the
   * device is lost, whether the work then fails, hangs or resolves. A failure of the work itself
   * becomes BackendError `code` unless the device was lost meanwhile.
   */
  async guard<T>(work: Promise<T>, what: string): Promise<T> {
    this.alive();
    try {
      return await Promise.race([work, this.lostError]);
    } catch (e) {
      if (e instanceof BackendError) throw e;
      // A failure caused by a loss can arrive before the loss is announced: give it a moment.
      await Promise.race([this.lostError, new Promise((r) => setTimeout(r, 50))]).catch(() => {});
      this.alive();
      throw new BackendError('validation', `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private lostMessage(): BackendError {
    const info = this.lost!;
    return new BackendError('device_lost', `the GPU device was lost (${info.reason}): ${info.message}`);
  }

  /** @internal */
  variable(name: string): Variable {
    this.alive();
    const v = this.variables.get(name);
    if (!v) throw new BackendError('variable', `no variable named ${name}`);
    return v;
  }

  /** @internal A storage buffer of `bytes`, counted in liveBuffers / liveBytes. */
  createBuffer(bytes: number, label: string, usage = STORAGE_USAGE): GPUBuffer {
    const buffer = this.gpu.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage, label });
    this.liveBuffers++;
    this.liveBytes += buffer.size;
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
    return buffer;
  }

  /** Start a new high-water mark at what is live now (peakBytes = liveBytes). */
  resetPeak(): void {
    this.peakBytes = this.liveBytes;
  }

  /** @internal */
  destroyBuffer(buffer: GPUBuffer): void {
    this.liveBuffers--;
    this.liveBytes -= buffer.size;
    buffer.destroy();
  }

  /** @internal Layout of `inputs` read-only storage bindings, `outputs` read-write ones, then maybe a uniform. */
  layout(inputs: number, uniform: boolean, outputs = 1): GPUBindGroupLayout {
    const key = `${inputs}${outputs === 1 ? '' : `/${outputs}`}${uniform ? '+u' : ''}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      const entries: GPUBindGroupLayoutEntry[] = [];
      for (let k = 0; k < inputs + outputs; k++) {
        entries.push({ binding: k, visibility: STAGE_COMPUTE, buffer: { type: k < inputs ? 'read-only-storage' : 'storage' } });
      }
      if (uniform) entries.push({ binding: inputs + outputs, visibility: STAGE_COMPUTE, buffer: { type: 'uniform' } });
      layout = this.gpu.createBindGroupLayout({ entries, label: key });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  /** @internal The pipeline for `code` (compiled once per backend); rejects with the compiler's messages. */
  pipeline(code: string, inputs: number, uniform: boolean, outputs = 1): Promise<GPUComputePipeline> {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.gpu.createShaderModule({ code });
      const layout = this.gpu.createPipelineLayout({ bindGroupLayouts: [this.layout(inputs, uniform, outputs)] });
      p = this.gpu.createComputePipelineAsync({ layout, compute: { module, entryPoint: 'main' } }).catch(async (e: unknown) => {
        const info = await module.getCompilationInfo();
        const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`).join('\n');
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n${messages}\n${code}`);
      });
      this.pipelines.set(code, p);
    }
    return p;
  }

  /** @internal Copy `buffer` to a staging buffer, map it and return its values (the only readback path). */
  async readBuffer(buffer: GPUBuffer, type: TensorType): Promise<Data> {
    this.alive();
    const bytes = bytesOf(type);
    const free = this.staging.get(bytes) ?? [];
    this.staging.set(bytes, free);
    const stage = free.pop() ?? this.createBuffer(bytes, 'staging', USAGE.MAP_READ | USAGE.COPY_DST);
    const encoder = this.gpu.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, stage, 0, stage.size);
    this.gpu.queue.submit([encoder.finish()]);
    await this.guard(stage.mapAsync(MAP_MODE_READ), 'reading a GPU buffer');
    const data = fromGpu(type.dtype, stage.getMappedRange().slice(0), sizeOf(type.shape));
    stage.unmap();
    free.push(stage);
    return data;
  }
}
