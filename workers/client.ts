/**
 * The page's handle on the training worker: starts it, wraps it with comlink, and watches it.
 * If the worker crashes or stops answering, `onFailure` is told and `restart()` brings up a fresh
 * one; the document lives in the page, so nothing of the user's graph is lost.
 */
import * as Comlink from 'comlink';
import type { TrainerApi } from './trainer.worker';
import type { TrainEvent } from './types';

export type WorkerFailure = { readonly kind: 'crashed' | 'unresponsive'; readonly message: string };

export interface TrainerClientOptions {
  /** The events of one worker flush, in order. */
  onEvents(events: readonly TrainEvent[]): void;
  onFailure(f: WorkerFailure): void;
  /** How long a ping may go unanswered before the worker counts as hung. */
  readonly pingTimeoutMs?: number;
  readonly pingEveryMs?: number;
  /** Makes the worker; tests may substitute one. */
  readonly spawn?: () => Worker;
}

const defaultSpawn = () => new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'wiregrad-trainer' });

export class TrainerClient {
  private worker!: Worker;
  /** The remote trainer; every call goes through the worker's message queue. */
  api!: Comlink.Remote<TrainerApi>;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private failed = false;

  constructor(private readonly options: TrainerClientOptions) {
    this.start();
  }

  /** Terminate the worker (whatever its state) and start a fresh one. */
  restart(): void {
    this.dispose();
    this.start();
  }

  /** Terminate the worker the way a crash would, leaving the watchdog to notice (tests of recovery). */
  kill(): void {
    this.worker.terminate();
  }

  /** Stop watching and terminate the worker (page unload, restart). */
  dispose(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.api?.[Comlink.releaseProxy]();
    this.worker?.terminate();
  }

  private start(): void {
    this.failed = false;
    this.worker = (this.options.spawn ?? defaultSpawn)();
    this.worker.addEventListener('error', (e) => this.fail({ kind: 'crashed', message: e.message || 'the training worker crashed' }));
    this.api = Comlink.wrap<TrainerApi>(this.worker);
    void this.api.subscribe(Comlink.proxy((events: TrainEvent[]) => this.options.onEvents(events))).catch(() => undefined);
    const timeout = this.options.pingTimeoutMs ?? 8000;
    let outstanding = 0;
    this.watchdog = setInterval(() => {
      if (this.failed) return;
      if (outstanding && performance.now() - outstanding > timeout) {
        this.fail({ kind: 'unresponsive', message: `the training worker has not answered for ${Math.round(timeout / 1000)} s` });
        return;
      }
      if (outstanding) return;
      outstanding = performance.now();
      this.api.ping().then(() => (outstanding = 0), () => undefined);
    }, this.options.pingEveryMs ?? 1000);
  }

  private fail(f: WorkerFailure): void {
    if (this.failed) return;
    this.failed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.options.onFailure(f);
  }
}
