/**
 * Merges concurrent predict calls into one device run: while a run is on the device, calls queue;
 * when it ends, the queued calls (up to `maxBatch` samples in all) go as one batch and each gets its
 * rows back. An idle batcher runs a call at once (no waiting for company). A call of more than
 * `maxBatch` samples runs in `maxBatch`-sized parts.
 */
import { sampleSize, type ModelRunner, type NamedTensors, type TensorSignature } from './runner';

interface Job {
  readonly inputs: NamedTensors;
  readonly n: number;
  resolve(out: NamedTensors): void;
  reject(e: unknown): void;
}

type Ctor = Float32ArrayConstructor | Int32ArrayConstructor;
const ctorOf = (sig: TensorSignature): Ctor => (sig.dtype === 'i32' ? Int32Array : Float32Array);

/** Rows [from, from + n) of each tensor. */
function rows(t: NamedTensors, sigs: readonly TensorSignature[], from: number, n: number): NamedTensors {
  return Object.fromEntries(sigs.map((s) => [s.name, t[s.name]!.subarray(from * sampleSize(s), (from + n) * sampleSize(s))]));
}

/** The tensors one after another, by rows. */
function concat(parts: readonly NamedTensors[], sigs: readonly TensorSignature[], n: number): NamedTensors {
  return Object.fromEntries(
    sigs.map((s) => {
      const out = new (ctorOf(s))(n * sampleSize(s));
      let at = 0;
      for (const p of parts) {
        out.set(p[s.name]!, at);
        at += p[s.name]!.length;
      }
      return [s.name, out];
    }),
  );
}

export class Batcher {
  private queue: Job[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  /** Device runs made, and the samples they carried (for the mean batch size). */
  runs = 0;
  samples = 0;

  constructor(
    readonly runner: ModelRunner,
    readonly maxBatch: number,
  ) {}

  /** Outputs for `n` samples of `inputs`; resolves when their run is read back. */
  async predict(inputs: NamedTensors, n: number): Promise<NamedTensors> {
    if (n <= this.maxBatch) return this.enqueue(inputs, n);
    const parts: Promise<NamedTensors>[] = [];
    for (let from = 0; from < n; from += this.maxBatch) {
      const m = Math.min(this.maxBatch, n - from);
      parts.push(this.enqueue(rows(inputs, this.runner.inputs, from, m), m));
    }
    return concat(await Promise.all(parts), this.runner.outputs, n);
  }

  /** Calls queued or on the device. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.running && !this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private enqueue(inputs: NamedTensors, n: number): Promise<NamedTensors> {
    return new Promise<NamedTensors>((resolve, reject) => {
      this.queue.push({ inputs, n, resolve, reject });
      if (!this.running) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.running = true;
    while (this.queue.length) {
      // Let the requests that arrived with this one (the same poll of the sockets) join its run.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const jobs: Job[] = [];
      let n = 0;
      while (this.queue.length && n + this.queue[0]!.n <= this.maxBatch) {
        const job = this.queue.shift()!;
        jobs.push(job);
        n += job.n;
      }
      try {
        const out = await this.runner.run(
          jobs.length === 1
            ? jobs[0]!.inputs
            : concat(
                jobs.map((j) => j.inputs),
                this.runner.inputs,
                n,
              ),
          n,
        );
        this.runs++;
        this.samples += n;
        let from = 0;
        for (const job of jobs) {
          job.resolve(rows(out, this.runner.outputs, from, job.n));
          from += job.n;
        }
      } catch (e) {
        for (const job of jobs) job.reject(e);
      }
    }
    this.running = false;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}
