/**
 * The page's handle on the training worker: starts it, wraps it with comlink, and watches it.
 * If the worker crashes or stops answering, `onFailure` is told and `restart()` brings up a fresh
 * one; the document lives in the page, so nothing of the user's graph is lost.
 */
import * as Comlink from 'comlink';
import type { TrainerApi } from './trainer.worker';
import type { TrainEvent } from './types';
import { PingWatchdog } from './watchdog';

export type WorkerFailure = { readonly kind: 'crashed' | 'unresponsive'; readonly message: string };

export interface TrainerClientOptions {
  /** The events of one worker flush, in order. */
  onEvents(events: readonly TrainEvent[]): void;
  onFailure(f: WorkerFailure): void;
  /** How long a ping may go unanswered before the worker counts as hung. */
  readonly pingTimeoutMs?: number;
  /** The same while a slow command (SLOW_CALLS: a compile, an import) is in flight. */
  readonly slowTimeoutMs?: number;
  readonly pingEveryMs?: number;
  /** Makes the worker; tests may substitute one. */
  readonly spawn?: () => Worker;
}

/** Commands that may keep the worker from answering pings for a while (compiling, loading data, reading a model). */
const SLOW_CALLS: ReadonlySet<string> = new Set([
  'open',
  'update',
  'restart',
  'fork',
  'rollback',
  'loadWeights',
  'importModel',
  'unpackModel',
  'saveModel',
  'exportOnnx',
  'exportPyTorch',
]);

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
    const watch = new PingWatchdog({ timeoutMs: this.options.pingTimeoutMs ?? 8000, slowTimeoutMs: this.options.slowTimeoutMs ?? 60_000 });
    const remote = Comlink.wrap<TrainerApi>(this.worker);
    // The slow commands go through the watchdog, so a long compile is not taken for a hang.
    this.api = new Proxy(remote, {
      get(target, prop, receiver) {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof prop !== 'string' || !SLOW_CALLS.has(prop) || typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          watch.during(
            () => (value as (...a: unknown[]) => Promise<unknown>)(...args),
            () => performance.now(),
          );
      },
    });
    const api = this.api;
    void api.subscribe(Comlink.proxy((events: TrainEvent[]) => this.options.onEvents(events))).catch(() => undefined);
    this.watchdog = setInterval(() => {
      if (this.failed) return;
      const verdict = watch.tick(performance.now());
      if (verdict?.kind === 'hung')
        this.fail({ kind: 'unresponsive', message: `the training worker has not answered for ${Math.round(verdict.limitMs / 1000)} s` });
      else if (verdict?.kind === 'ping')
        api.ping().then(
          () => watch.answered(),
          () => undefined,
        );
    }, this.options.pingEveryMs ?? 1000);
  }

  private fail(f: WorkerFailure): void {
    if (this.failed) return;
    this.failed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.options.onFailure(f);
  }
}
