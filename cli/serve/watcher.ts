/**
 * A models directory watched for new versions, TF Serving's layout: DIR/NAME/VERSION/ with VERSION a
 * whole number, holding model.json (the Wiregrad document) and weights.safetensors. Each poll serves
 * the highest version of each model that loads; a version that fails to load is not tried again until
 * its files change (so copy a version in under another name and rename it into place, or it may be
 * read half-written and tried again once complete). A served version whose folder is deleted gives way
 * to the newest older version that loads, or, with none, the model is unloaded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelRunner } from './runner';
import type { ModelRegistry } from './registry';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/** Loads one version's files into a runner; throws with a message saying why it cannot. */
export type VersionLoader = (files: { doc: string; weights: string; name: string; version: number }) => Promise<ModelRunner>;

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The files' sizes and modification times: a change means "try again". */
function fingerprint(dir: string): string | undefined {
  try {
    return [MODEL_FILE, WEIGHTS_FILE]
      .map((f) => {
        const s = statSync(join(dir, f));
        return `${s.size}:${s.mtimeMs}`;
      })
      .join('|');
  } catch {
    return undefined; // a file is missing: not a version yet
  }
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch {
    return [];
  }
}

export class VersionWatcher {
  /** The fingerprint each (model, version) was last tried with, and whether it loaded. */
  private readonly tried = new Map<string, { print: string; ok: boolean }>();
  /** The version each model serves from this directory. */
  private readonly serving = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    readonly dir: string,
    private readonly registry: ModelRegistry,
    private readonly load: VersionLoader,
    private readonly log: (line: string) => void,
  ) {}

  /** One pass over the directory (loads run one after another); resolves when done. */
  poll(): Promise<void> {
    this.polling ??= this.pass().finally(() => (this.polling = undefined));
    return this.polling;
  }

  /** Poll every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    const tick = () => {
      if (this.stopped) return;
      void this.poll()
        .catch((e: unknown) => this.log(`looking at ${this.dir} failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.polling;
  }

  private async pass(): Promise<void> {
    const names = subdirs(this.dir).filter((n) => MODEL_NAME.test(n));
    for (const name of names) {
      if (this.stopped) return;
      const versions = subdirs(join(this.dir, name))
        .filter((v) => /^\d{1,15}$/.test(v))
        .map(Number)
        .sort((a, b) => b - a);
      for (const version of versions) {
        const dir = join(this.dir, name, String(version));
        const print = fingerprint(dir);
        if (print === undefined) continue;
        const key = `${name}/${version}`;
        const before = this.tried.get(key);
        if (before?.print === print) {
          if (!before.ok) continue; // failed with these very files: fall back to an older version
          if (this.serving.get(name) === version) break; // the newest good version is the one served
        }
        if (this.stopped) return;
        this.registry.loading(name, version);
        try {
          const runner = await this.load({ doc: join(dir, MODEL_FILE), weights: join(dir, WEIGHTS_FILE), name, version });
          this.tried.set(key, { print, ok: true });
          if (this.stopped) {
            runner.dispose();
            return;
          }
          this.registry.add(name, version, runner);
          this.serving.set(name, version);
          break;
        } catch (e) {
          this.tried.set(key, { print, ok: false });
          const message = e instanceof Error ? e.message : String(e);
          this.registry.failed(name, version, message);
          this.log(`model "${name}" version ${version} (${dir}) did not load: ${message}`);
        }
      }
      // The served version's folder went away and no other version took its place (TF Serving's
      // "latest" policy serves only versions on disk): unload it rather than serve a deleted model.
      const served = this.serving.get(name);
      if (served !== undefined && fingerprint(join(this.dir, name, String(served))) === undefined) {
        this.registry.remove(name);
        this.serving.delete(name);
        this.log(`model "${name}" version ${served} is gone from ${this.dir} and no other version loads: unloaded`);
      }
    }
    for (const [name] of this.serving) {
      if (!names.includes(name)) {
        this.registry.remove(name);
        this.serving.delete(name);
        this.log(`model "${name}" is gone from ${this.dir}: unloaded`);
      }
    }
  }
}

/** Read a file for a loader, with the error naming it. */
export function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e)}`);
  }
}
