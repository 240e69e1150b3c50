/**
 * The served models and their versions (TF Serving's "latest version" policy): a new version becomes
 * the one requests without a version get as soon as it is AVAILABLE; the one it replaces goes
 * UNLOADING and is disposed once its in-flight requests are answered, then is END.
 */
import { Batcher } from './batcher';
import { RequestError } from './request';
import type { ModelRunner } from './runner';

export type VersionState = 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

export interface ServedVersion {
  readonly model: string;
  readonly version: number;
  state: VersionState;
  /** Present while LOADING … UNLOADING. */
  batcher: Batcher | undefined;
  /** Requests holding this version (acquire … release). */
  inFlight: number;
  /** Why it failed to load. */
  error?: string;
}

/** TF Serving's GetModelStatusResponse as JSON. */
export interface ModelStatus {
  model_version_status: { version: string; state: VersionState; status: { error_code: string; error_message: string } }[];
}

export class ModelRegistry {
  private readonly models = new Map<string, Map<number, ServedVersion>>();
  private drainWaiters: (() => void)[] = [];

  constructor(
    readonly maxBatch: number,
    /** Told when a version changes state (for the log). */
    private readonly onChange: (v: ServedVersion) => void = () => undefined,
  ) {}

  get names(): string[] {
    return [...this.models.keys()];
  }

  private versions(model: string): Map<number, ServedVersion> {
    let m = this.models.get(model);
    if (!m) this.models.set(model, (m = new Map()));
    return m;
  }

  /** Mark a version as being loaded (shown by the status call). */
  loading(model: string, version: number): void {
    const v: ServedVersion = { model, version, state: 'LOADING', batcher: undefined, inFlight: 0 };
    this.versions(model).set(version, v);
    this.onChange(v);
  }

  /** `runner` serves `version` of `model` from now on; the version it replaces unloads when idle. */
  add(model: string, version: number, runner: ModelRunner): ServedVersion {
    const versions = this.versions(model);
    const v: ServedVersion = { model, version, state: 'AVAILABLE', batcher: new Batcher(runner, this.maxBatch), inFlight: 0 };
    versions.set(version, v);
    this.onChange(v);
    for (const old of versions.values()) if (old !== v && old.state === 'AVAILABLE') this.unload(old);
    return v;
  }

  /** Loading `version` failed: the one served before stays. */
  failed(model: string, version: number, error: string): void {
    const v: ServedVersion = { model, version, state: 'END', batcher: undefined, inFlight: 0, error };
    this.versions(model).set(version, v);
    this.onChange(v);
  }

  /** The version requests get: `version` if given, else the newest available; counts the request in. */
  acquire(model: string, version?: number): ServedVersion {
    const versions = this.models.get(model);
    if (!versions) throw new RequestError(404, `there is no model named "${model}" (served: ${this.names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
    const available = [...versions.values()].filter((v) => v.state === 'AVAILABLE');
    const v = version === undefined ? available.sort((a, b) => b.version - a.version)[0] : versions.get(version);
    if (!v || v.state !== 'AVAILABLE') {
      const serving = available.map((a) => a.version).join(', ') || 'none';
      throw new RequestError(
        404,
        version === undefined
          ? `model "${model}" has no version available yet`
          : `model "${model}" has no version ${version} available (available: ${serving})`,
      );
    }
    v.inFlight++;
    return v;
  }

  release(v: ServedVersion): void {
    v.inFlight--;
    if (v.state === 'UNLOADING' && v.inFlight === 0) this.finishUnload(v);
    if (this.drainWaiters.length && this.totalInFlight() === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  /** The status of every version of `model` (or of `version`), newest first. */
  status(model: string, version?: number): ModelStatus {
    const versions = this.models.get(model);
    if (!versions) throw new RequestError(404, `there is no model named "${model}" (served: ${this.names.map((n) => JSON.stringify(n)).join(', ') || 'none'})`);
    const list = version === undefined ? [...versions.values()] : [versions.get(version)].filter((v): v is ServedVersion => v !== undefined);
    if (!list.length) throw new RequestError(404, `model "${model}" has no version ${version}`);
    return {
      model_version_status: list
        .sort((a, b) => b.version - a.version)
        .map((v) => ({ version: String(v.version), state: v.state, status: { error_code: v.error ? 'UNKNOWN' : 'OK', error_message: v.error ?? '' } })),
    };
  }

  /** Requests being answered now, over every model. */
  totalInFlight(): number {
    let n = 0;
    for (const versions of this.models.values()) for (const v of versions.values()) n += v.inFlight;
    return n;
  }

  /** Resolves when no request is in flight. */
  drained(): Promise<void> {
    if (this.totalInFlight() === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Unload every version of `model` (its folder went away). */
  remove(model: string): void {
    for (const v of this.models.get(model)?.values() ?? []) if (v.state === 'AVAILABLE') this.unload(v);
  }

  /** Dispose everything (after drained()). */
  close(): void {
    for (const versions of this.models.values()) for (const v of versions.values()) if (v.batcher) this.finishUnload(v);
  }

  private unload(v: ServedVersion): void {
    v.state = 'UNLOADING';
    this.onChange(v);
    if (v.inFlight === 0) this.finishUnload(v);
  }

  private finishUnload(v: ServedVersion): void {
    const batcher = v.batcher;
    v.batcher = undefined;
    v.state = 'END';
    if (batcher)
      void batcher
        .idle()
        .then(() => batcher.runner.dispose())
        .catch(() => undefined); // a device already gone
    this.onChange(v);
  }
}
