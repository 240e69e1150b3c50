/**
 * A watched models directory (CPU backend): a new version is loaded and swapped in under concurrent
 * load without losing a request — every answer is 200 and equals the engine's inference on version
 * 1's or version 2's weights — while a request in flight on the old version finishes on it; a version
 * that does not load leaves the served one in place; close() answers what is in flight first.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, SERVE_DEFAULTS, startServer, type RunningServer } from './serve';
import type { ModelRunner } from './serve/runner';
import { engineForward, mnistMlp, publishVersion, randomImages, randomWeights, writeModel } from './serve/testModels';
import { twoLayerDoc } from '../engine/testing/docs';

const doc = mnistMlp();
const w1 = randomWeights(doc, 1);
const w2 = randomWeights(doc, 2);
const IMAGES = 4;
const x = randomImages(IMAGES, 9);
const row = (i: number) => Array.from(x.subarray(i * 784, (i + 1) * 784));

/** Runners as serve loads them, the ones for versions in `slow` taking `ms` longer per run. */
const slowLoader =
  (slow: ReadonlySet<number>, ms: number): typeof loadModel =>
  async (docPath, weights, backend, maxBatch) => {
    const runner = await loadModel(docPath, weights, backend, maxBatch);
    if (!slow.has(Number(docPath.split('/').at(-2)))) return runner;
    const wrapped: ModelRunner = {
      inputs: runner.inputs,
      outputs: runner.outputs,
      device: runner.device,
      run: async (inputs, n) => {
        await new Promise((r) => setTimeout(r, ms));
        return runner.run(inputs, n);
      },
      dispose: () => runner.dispose(),
    };
    return wrapped;
  };

async function start(root: string, loader?: typeof loadModel): Promise<RunningServer> {
  // A long poll interval: the test polls itself, so it knows when a version was looked at.
  return startServer({ ...SERVE_DEFAULTS, models: [], port: 0, backend: 'cpu', maxBatch: 8, modelsDir: root, pollSeconds: 3600 }, () => undefined, loader);
}

const predict = async (server: RunningServer, i: number, path = '/v1/models/mnist:predict') => {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', body: JSON.stringify({ instances: [row(i)] }) });
  return { status: r.status, body: (await r.json()) as { predictions?: number[][]; error?: string } };
};
const status = async (server: RunningServer) =>
  (
    (await (await fetch(`${server.url}/v1/models/mnist`)).json()) as {
      model_version_status: { version: string; state: string; status: { error_message: string } }[];
    }
  ).model_version_status;

/** Which of the references a prediction equals (to float32 rounding), or -1. */
function whichOf(pred: number[], refs: Float32Array[]): number {
  return refs.findIndex((ref) => pred.length === ref.length && pred.every((v, k) => Math.abs(v - ref[k]!) < 1e-5));
}

describe('wiregrad serve --models-dir', () => {
  it('swaps a new version in under concurrent load without losing a request', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-swap-'));
    publishVersion(root, 'mnist', 1, doc, w1);
    const server = await start(root);
    try {
      const ref1 = await engineForward(doc, w1, 'x', x, 'logits');
      const ref2 = await engineForward(doc, w2, 'x', x, 'logits');
      const refs = (i: number) => [ref1.subarray(i * 10, (i + 1) * 10), ref2.subarray(i * 10, (i + 1) * 10)];
      let swapped = false;
      let stop = false;
      const answers: { version: number; afterSwap: boolean; status: number }[] = [];
      const worker = async (w: number) => {
        for (let k = 0; !stop; k++) {
          const i = (w + k) % IMAGES;
          const afterSwap = swapped;
          const r = await predict(server, i);
          answers.push({ status: r.status, afterSwap, version: r.status === 200 ? whichOf(r.body.predictions![0]!, refs(i)) + 1 : 0 });
        }
      };
      const load = Promise.all(Array.from({ length: 8 }, (_v, w) => worker(w)));
      while (answers.length < 40) await new Promise((r) => setTimeout(r, 10));
      publishVersion(root, 'mnist', 2, doc, w2);
      await server.watcher!.poll();
      swapped = true;
      const at = answers.length;
      while (answers.length < at + 40) await new Promise((r) => setTimeout(r, 10));
      stop = true;
      await load;

      expect(answers.filter((a) => a.status !== 200)).toEqual([]);
      expect(answers.filter((a) => a.version === 0)).toEqual([]); // each answer is one version's, exactly
      expect(answers.filter((a) => a.version === 1).length).toBeGreaterThan(0);
      expect(answers.filter((a) => a.afterSwap && a.version !== 2)).toEqual([]);
      expect(answers.filter((a) => a.afterSwap).length).toBeGreaterThanOrEqual(40);
      expect((await status(server)).map((v) => [v.version, v.state])).toEqual([
        ['2', 'AVAILABLE'],
        ['1', 'END'],
      ]);
      expect(server.registry.totalInFlight()).toBe(0);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('lets a request in flight on the old version finish on it, and keeps serving when a new version does not load', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-swap-'));
    publishVersion(root, 'mnist', 1, doc, w1);
    const server = await start(root, slowLoader(new Set([1]), 400));
    try {
      const ref1 = await engineForward(doc, w1, 'x', x, 'logits');
      const ref2 = await engineForward(doc, w2, 'x', x, 'logits');
      const inFlight = predict(server, 0);
      while (server.registry.totalInFlight() === 0) await new Promise((r) => setTimeout(r, 5));
      publishVersion(root, 'mnist', 2, doc, w2);
      await server.watcher!.poll();
      expect((await status(server)).map((v) => [v.version, v.state])).toEqual([
        ['2', 'AVAILABLE'],
        ['1', 'UNLOADING'],
      ]);
      const fresh = await predict(server, 1);
      expect(whichOf(fresh.body.predictions![0]!, [ref1.subarray(10, 20), ref2.subarray(10, 20)])).toBe(1); // version 2 answers new calls at once
      const old = await inFlight;
      expect(old.status).toBe(200);
      expect(whichOf(old.body.predictions![0]!, [ref1.subarray(0, 10), ref2.subarray(0, 10)])).toBe(0); // the old call finished on version 1
      expect((await status(server)).map((v) => [v.version, v.state])).toEqual([
        ['2', 'AVAILABLE'],
        ['1', 'END'],
      ]);
      expect((await predict(server, 0, '/v1/models/mnist/versions/1:predict')).status).toBe(404);

      // Version 3's weights belong to another graph: it fails, version 2 goes on answering.
      const other = twoLayerDoc({ n: 4, dIn: 3, h: 5, dOut: 2 });
      const staging = join(root, 'staging-3');
      writeModel(staging, other, randomWeights(other, 3));
      writeFileSync(join(staging, 'model.json'), JSON.stringify(doc));
      renameSync(staging, join(root, 'mnist', '3'));
      await server.watcher!.poll();
      const v3 = (await status(server)).find((v) => v.version === '3')!;
      expect(v3.state).toBe('END');
      expect(v3.status.error_message).toMatch(/^the weights do not fit the document: /);
      const still = await predict(server, 2);
      expect(whichOf(still.body.predictions![0]!, [ref1.subarray(20, 30), ref2.subarray(20, 30)])).toBe(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('a deleted version gives way to the older one, and deleting the last one unloads the model', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-gone-'));
    publishVersion(root, 'mnist', 1, doc, w1);
    publishVersion(root, 'mnist', 2, doc, w2);
    const server = await start(root);
    try {
      const ref1 = await engineForward(doc, w1, 'x', x, 'logits');
      expect((await status(server)).find((v) => v.state === 'AVAILABLE')?.version).toBe('2');
      rmSync(join(root, 'mnist', '2'), { recursive: true });
      await server.watcher!.poll();
      expect((await status(server)).find((v) => v.state === 'AVAILABLE')?.version).toBe('1');
      const answer = await predict(server, 0);
      expect(whichOf(answer.body.predictions![0]!, [ref1.subarray(0, 10)])).toBe(0);
      rmSync(join(root, 'mnist', '1'), { recursive: true });
      await server.watcher!.poll();
      expect((await status(server)).filter((v) => v.state === 'AVAILABLE')).toEqual([]);
      expect((await predict(server, 0)).status).toBe(404);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('close() answers the requests in flight, then refuses connections', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-close-'));
    publishVersion(root, 'mnist', 1, doc, w1);
    const server = await start(root, slowLoader(new Set([1]), 400));
    const ref1 = await engineForward(doc, w1, 'x', x, 'logits');
    const inFlight = predict(server, 3);
    while (server.registry.totalInFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    const closed = server.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(whichOf(answer.body.predictions![0]!, [ref1.subarray(30, 40)])).toBe(0);
    await closed;
    await expect(fetch(`${server.url}/v1/models/mnist`)).rejects.toThrow();
  }, 120_000);
});
