/**
 * `wiregrad serve`: trained Wiregrad models behind TF Serving's REST API (cli/serve/app.ts), from
 * --model NAME=doc.json,weights.safetensors (version 1) and/or a watched models directory
 * (cli/serve/watcher.ts). Each model version runs on its own backend; concurrent predict calls are
 * merged into device batches (cli/serve/batcher.ts). Ctrl-C stops taking connections, answers the
 * requests in flight, and exits 0.
 */
import { serve as listen, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { BackendUnavailable, createBackend, type BackendChoice } from './backend';
import { InputError, readDocument } from './document';
import { EXIT } from './exitCodes';
import { createApp } from './serve/app';
import { ModelRegistry, type ServedVersion } from './serve/registry';
import type { ModelRunner } from './serve/runner';
import { readBytes, VersionWatcher } from './serve/watcher';
import { WiregradModel } from './serve/wiregradModel';
import type { CliIo } from './train';

export interface ModelSpec {
  readonly name: string;
  readonly doc: string;
  readonly weights: string;
}

export interface ServeOptions {
  readonly models: readonly ModelSpec[];
  readonly modelsDir?: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly backend: BackendChoice;
  readonly maxBatch: number;
  readonly maxInstances: number;
  readonly maxBodyBytes: number;
  /** Seconds between looks at the models directory. */
  readonly pollSeconds: number;
}

export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: 8501,
  backend: 'auto',
  maxBatch: 32,
  maxInstances: 1024,
  maxBodyBytes: 32 * 1024 * 1024,
  pollSeconds: 2,
} as const;

/** How long Ctrl-C waits for requests in flight before closing their connections. */
const GRACE_MS = 10_000;

/** `NAME=doc.json,weights.safetensors` → its parts; throws InputError saying what is wrong. */
export function parseModelSpec(spec: string): ModelSpec {
  const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)=([^,]+),(.+)$/.exec(spec);
  if (!m) throw new InputError(`--model wants NAME=doc.json,weights.safetensors (NAME of letters, digits, . _ -), not "${spec}"`);
  return { name: m[1]!, doc: m[2]!, weights: m[3]! };
}

/** One document and weights file loaded onto a new backend of the chosen kind. */
export async function loadModel(doc: string, weights: string, backend: BackendChoice, maxBatch: number): Promise<ModelRunner> {
  const document = readDocument(doc, { requireLoss: false });
  const bytes = readBytes(weights);
  const { backend: device } = await createBackend(backend);
  try {
    return await WiregradModel.load(document, bytes, device, maxBatch);
  } catch (e) {
    device.dispose();
    throw e;
  }
}

export interface RunningServer {
  readonly url: string;
  readonly registry: ModelRegistry;
  readonly watcher: VersionWatcher | undefined;
  /** Stop taking connections, answer what is in flight (closing what remains after `graceMs`), dispose the models. */
  close(graceMs?: number): Promise<void>;
}

const errorText = (e: unknown) => (e instanceof InputError ? [e.message, ...e.lines].join('\n') : e instanceof Error ? e.message : String(e));

/** Load the models and listen; rejects (InputError, BackendUnavailable) when a --model cannot be served. */
export async function startServer(opts: ServeOptions, log: (line: string) => void, runnerFor: typeof loadModel = loadModel): Promise<RunningServer> {
  const registry = new ModelRegistry(opts.maxBatch, (v: ServedVersion) => {
    if (v.state === 'AVAILABLE')
      log(
        `model "${v.model}" version ${v.version} is AVAILABLE (inputs ${v.batcher!.runner.inputs.map((i) => `${i.name} [${i.shape.join(', ')}]`).join(', ')}; outputs ${v.batcher!.runner.outputs.map((o) => `${o.name} [${o.shape.join(', ')}]`).join(', ')}; ${v.batcher!.runner.device})`,
      );
    else if (v.state === 'END' && !v.error) log(`model "${v.model}" version ${v.version} unloaded`);
  });
  for (const m of opts.models) {
    try {
      registry.add(m.name, 1, await runnerFor(m.doc, m.weights, opts.backend, opts.maxBatch));
    } catch (e) {
      registry.close();
      if (e instanceof InputError || e instanceof BackendUnavailable) throw e;
      throw new InputError(`--model ${m.name}: ${errorText(e)}`);
    }
  }
  let watcher: VersionWatcher | undefined;
  if (opts.modelsDir !== undefined) {
    watcher = new VersionWatcher(opts.modelsDir, registry, (f) => runnerFor(f.doc, f.weights, opts.backend, opts.maxBatch), log);
    await watcher.poll();
    watcher.start(opts.pollSeconds * 1000);
  }
  const app = createApp(registry, { maxBodyBytes: opts.maxBodyBytes, maxInstances: opts.maxInstances });
  let server: ServerType;
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server = listen({ fetch: app.fetch, hostname: opts.host, port: opts.port }, resolve);
    server.once('error', reject);
  }).catch(async (e: unknown) => {
    await watcher?.stop();
    registry.close();
    throw new InputError(`cannot listen on ${opts.host}:${opts.port}: ${e instanceof Error ? e.message : String(e)}`);
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    registry,
    watcher,
    async close(graceMs = GRACE_MS) {
      await watcher?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const timer = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), graceMs);
      await Promise.all([closed, registry.drained()]);
      clearTimeout(timer);
      registry.close();
    },
  };
}

/** Serve until Ctrl-C; the exit code. */
export async function serve(opts: ServeOptions, io: CliIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`wiregrad serve: ${line}\n`);
  let stop: (() => void) | undefined;
  let interrupts = 0;
  const stopping = new Promise<void>((resolve) => (stop = resolve));
  const stopListening = io.onInterrupt(() => {
    interrupts++;
    stop?.();
  });
  try {
    if (!opts.models.length && opts.modelsDir === undefined)
      throw new InputError('nothing to serve: give --model NAME=doc.json,weights.safetensors or --models-dir DIR');
    const server = await startServer(opts, say);
    say(`listening on ${server.url} (POST ${server.url}/v1/models/NAME:predict; Ctrl-C stops)`);
    await stopping;
    say(`stopping: answering ${server.registry.totalInFlight()} request(s) in flight (Ctrl-C again to quit at once)`);
    const closing = server.close().then(() => 'done' as const);
    let check: NodeJS.Timeout | undefined;
    const forced = new Promise<'forced'>((resolve) => (check = setInterval(() => interrupts > 1 && resolve('forced'), 50)));
    const how = await Promise.race([closing, forced]);
    clearInterval(check);
    say(how === 'done' ? 'stopped' : 'quit without waiting');
    return how === 'done' ? EXIT.ok : EXIT.interrupted;
  } catch (e) {
    if (e instanceof InputError || e instanceof BackendUnavailable) {
      say(errorText(e));
      return EXIT.badInput;
    }
    say(e instanceof Error ? e.message : String(e));
    return EXIT.trainingError;
  } finally {
    stopListening();
  }
}
