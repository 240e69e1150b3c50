/**
 * NaN/Inf counts on the device: one small kernel per value counts the elements whose f32 bit
 * pattern has an all-ones exponent (WGSL may assume finite maths, so `x != x` could fold away),
 * adding into one u32 per value with atomics; only the counts are read back, in one mapping.
 */
import { sizeOf } from '../../ops/shape';
import type { TensorType } from '../../ops/types';
import type { WebGpuBackend } from './backend';
import { MAP_MODE_READ, USAGE } from './storage';

const WG = 64;
/** Workgroups at most per value: each thread strides over the rest. */
const MAX_GROUPS = 1024;
/** Each value's parameters sit at their own uniform offset (the spec's largest minUniformBufferOffsetAlignment). */
const PARAM_STRIDE = 256;

const CODE = `@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> counts: array<atomic<u32>>;
struct Params { n: u32, slot: u32 }
@group(0) @binding(2) var<uniform> p: Params;
@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) g: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  var c = 0u;
  for (var i = g.x; i < p.n; i += nwg.x * ${WG}u) {
    if ((bitcast<u32>(x[i]) & 0x7f800000u) == 0x7f800000u) { c += 1u; }
  }
  if (c > 0u) { atomicAdd(&counts[p.slot], c); }
}
`;

/** A tensor to count: its buffer and type (only f32 can hold NaN or Inf). */
export interface Counted {
  readonly buffer: GPUBuffer;
  readonly type: TensorType;
}

/** Counts NaN/Inf on the device; holds its small buffers between calls, grown to the most values asked at once. */
export class NonFiniteCounter {
  private capacity = 0;
  private buffers: { counts: GPUBuffer; params: GPUBuffer; stage: GPUBuffer } | undefined;
  private busy = false;

  constructor(private readonly backend: WebGpuBackend) {}

  async count(values: readonly Counted[]): Promise<number[]> {
    const floats = values.map((v, slot) => ({ ...v, slot, n: sizeOf(v.type.shape) })).filter((v) => v.type.dtype === 'f32' && v.n > 0);
    if (!floats.length) return values.map(() => 0);
    const pipeline = await this.backend.guard(this.backend.pipeline(CODE, 1, true), 'compiling the NaN/Inf counter');
    // One call at a time owns the buffers; a concurrent call gets its own.
    const own = this.busy || values.length > this.capacity ? this.allocate(values.length, !this.busy) : this.buffers!;
    if (own === this.buffers) this.busy = true;
    try {
      const device = this.backend.gpu;
      const params = new Uint32Array((PARAM_STRIDE / 4) * values.length);
      floats.forEach((v) => params.set([v.n, v.slot], (PARAM_STRIDE / 4) * v.slot));
      device.queue.writeBuffer(own.params, 0, params);
      const encoder = device.createCommandEncoder();
      encoder.clearBuffer(own.counts);
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      for (const v of floats) {
        pass.setBindGroup(
          0,
          device.createBindGroup({
            layout: this.backend.layout(1, true),
            entries: [
              { binding: 0, resource: { buffer: v.buffer } },
              { binding: 1, resource: { buffer: own.counts } },
              { binding: 2, resource: { buffer: own.params, offset: v.slot * PARAM_STRIDE, size: 8 } },
            ],
          }),
        );
        pass.dispatchWorkgroups(Math.min(MAX_GROUPS, Math.ceil(v.n / WG)));
      }
      pass.end();
      encoder.copyBufferToBuffer(own.counts, 0, own.stage, 0, values.length * 4);
      device.queue.submit([encoder.finish()]);
      await this.backend.guard(own.stage.mapAsync(MAP_MODE_READ, 0, values.length * 4), 'reading the NaN/Inf counts');
      const counts = Array.from(new Uint32Array(own.stage.getMappedRange(0, values.length * 4).slice(0)));
      own.stage.unmap();
      return counts;
    } finally {
      if (own === this.buffers) this.busy = false;
      else this.free(own);
    }
  }

  dispose(): void {
    if (this.buffers) this.free(this.buffers);
    this.buffers = undefined;
    this.capacity = 0;
  }

  /** Buffers for `k` values; kept as this counter's own when `keep`. */
  private allocate(k: number, keep: boolean) {
    const b = this.backend;
    const own = {
      counts: b.createBuffer(k * 4, 'NaN/Inf counts', USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST),
      params: b.createBuffer(k * PARAM_STRIDE, 'NaN/Inf count params', USAGE.UNIFORM | USAGE.COPY_DST),
      stage: b.createBuffer(k * 4, 'NaN/Inf counts staging', USAGE.MAP_READ | USAGE.COPY_DST),
    };
    if (keep) {
      if (this.buffers) this.free(this.buffers);
      this.buffers = own;
      this.capacity = k;
    }
    return own;
  }

  private free(own: { counts: GPUBuffer; params: GPUBuffer; stage: GPUBuffer }): void {
    for (const buf of [own.counts, own.params, own.stage]) this.backend.destroyBuffer(buf);
  }
}
