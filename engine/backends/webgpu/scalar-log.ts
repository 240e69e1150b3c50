/**
 * The scalar log (RunSpec.scalars) on the GPU: every run copies its scalars into the next slot of
 * a ring buffer inside the run's own command buffer, so a training loop reads nothing back per
 * step. drain() copies the filled slots to a staging buffer and maps it once.
 *
 * No run is ever dropped: when a ring fills before a drain, another ring is chained on. A drain
 * empties the chain and gives back all but the first ring, so memory stays bounded by the most
 * runs between two drains, and is constant for a loop that drains regularly.
 */
import type { DType } from '../../ops/types';
import type { WebGpuBackend } from './backend';
import { MAP_MODE_READ, USAGE } from './storage';

/** Runs one ring holds. */
const RING_SLOTS = 1024;

/** One logged value: the (retained, single-element) buffer it is copied from each run. */
export interface ScalarSource {
  readonly buffer: GPUBuffer;
  readonly dtype: DType;
}

export class ScalarLog {
  private readonly rings: GPUBuffer[] = [];
  /** Staging buffers of one ring's size, free for the next drain. */
  private readonly staging: GPUBuffer[] = [];
  /** Runs logged since the last drain. */
  private filled = 0;
  private readonly slotBytes: number;
  private disposed = false;

  constructor(
    private readonly backend: WebGpuBackend,
    private readonly sources: readonly ScalarSource[],
  ) {
    this.slotBytes = sources.length * 4;
  }

  /** Encode the copies of this run's scalars into the next free slot (after the run's dispatches). */
  record(encoder: GPUCommandEncoder): void {
    if (!this.sources.length) return;
    const ring = Math.floor(this.filled / RING_SLOTS);
    const slot = this.filled % RING_SLOTS;
    if (ring === this.rings.length) this.rings.push(this.backend.createBuffer(RING_SLOTS * this.slotBytes, 'scalar log', USAGE.COPY_SRC | USAGE.COPY_DST));
    this.sources.forEach((s, j) => encoder.copyBufferToBuffer(s.buffer, 0, this.rings[ring]!, slot * this.slotBytes + j * 4, 4));
    this.filled++;
  }

  /**
   * The scalars of every run logged since the last drain, oldest first. The copy out is queued
   * at once, so runs submitted while this waits go to the emptied rings and the next drain.
   */
  async drain(): Promise<Float32Array[]> {
    const runs = this.filled;
    if (!runs || !this.sources.length) return [];
    const device = this.backend.gpu;
    const ringBytes = RING_SLOTS * this.slotBytes;
    const used = Math.ceil(runs / RING_SLOTS);
    const stage =
      used === 1 && this.staging.length
        ? this.staging.pop()!
        : this.backend.createBuffer(used * ringBytes, 'scalar log staging', USAGE.MAP_READ | USAGE.COPY_DST);
    const encoder = device.createCommandEncoder();
    for (let r = 0; r < used; r++) {
      const slots = Math.min(RING_SLOTS, runs - r * RING_SLOTS);
      encoder.copyBufferToBuffer(this.rings[r]!, 0, stage, r * ringBytes, slots * this.slotBytes);
    }
    device.queue.submit([encoder.finish()]);
    this.filled = 0;
    // Rings beyond the first go back (the submitted copy still reads them; destroy waits for that).
    for (const ring of this.rings.splice(1)) this.backend.destroyBuffer(ring);

    await this.backend.guard(stage.mapAsync(MAP_MODE_READ, 0, runs * this.slotBytes), 'reading the scalar log');
    const words = stage.getMappedRange(0, runs * this.slotBytes).slice(0);
    stage.unmap();
    if (used === 1 && this.staging.length < 2 && !this.disposed) this.staging.push(stage);
    else this.backend.destroyBuffer(stage);
    return decode(
      words,
      this.sources.map((s) => s.dtype),
      runs,
    );
  }

  /** Free every ring and staging buffer. */
  dispose(): void {
    this.disposed = true;
    for (const b of [...this.rings.splice(0), ...this.staging.splice(0)]) this.backend.destroyBuffer(b);
  }
}

/** Slots of raw 4-byte words as numbers, one Float32Array per run (i32 and bool read as integers). */
function decode(words: ArrayBuffer, dtypes: readonly DType[], runs: number): Float32Array[] {
  const f32 = new Float32Array(words);
  const i32 = new Int32Array(words);
  const u32 = new Uint32Array(words);
  const k = dtypes.length;
  const out: Float32Array[] = [];
  for (let r = 0; r < runs; r++) {
    out.push(Float32Array.from(dtypes, (t, j) => (t === 'f32' ? f32 : t === 'i32' ? i32 : u32)[r * k + j]!));
  }
  return out;
}
