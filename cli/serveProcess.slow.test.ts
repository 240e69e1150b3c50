/**
 * `wiregrad serve` as a person runs it (the launcher, a child process, CPU backend): it says where it
 * listens, answers a prediction equal to the engine's, and on Ctrl-C (SIGINT) stops cleanly with exit
 * code 0; bad flags and files exit 2 with a message naming them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launch } from './launchForTest';
import { engineForward, mnistMlp, randomImages, randomWeights, writeModel } from './serve/testModels';

describe('the wiregrad serve command', () => {
  it('serves predictions on 127.0.0.1 and stops cleanly on SIGINT (exit 0)', async () => {
    const doc = mnistMlp();
    const weights = randomWeights(doc, 11);
    const paths = writeModel(mkdtempSync(join(tmpdir(), 'wg-serve-proc-')), doc, weights);
    const x = randomImages(2, 5);
    const want = await engineForward(doc, weights, 'x', x, 'logits');
    let answered: { status: number; predictions: number[][] } | undefined;
    let asked = false;
    const run = await launch(['serve', '--model', `digits=${paths.doc},${paths.weights}`, '--port', '0', '--backend', 'cpu'], (err, child) => {
      const url = /listening on (http:\/\/[^ ]+) /.exec(err)?.[1];
      if (!url || asked) return;
      asked = true;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      void fetch(`${url}/v1/models/digits:predict`, {
        method: 'POST',
        body: JSON.stringify({ inputs: { x: [Array.from(x.subarray(0, 784)), Array.from(x.subarray(784))] } }),
      })
        .then(async (r) => (answered = { status: r.status, predictions: ((await r.json()) as { outputs: number[][] }).outputs }))
        .finally(() => child.kill('SIGINT'));
    });
    expect(answered?.status).toBe(200);
    const flat = answered!.predictions.flat();
    expect(flat).toHaveLength(20);
    flat.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-5));
    expect(run.err).toContain('model "digits" version 1 is AVAILABLE (inputs x [784]; outputs logits [10]');
    expect(run.err).toContain('wiregrad serve: stopping');
    expect(run.err).toContain('wiregrad serve: stopped');
    expect(run.code).toBe(0);
  }, 120_000);

  it('exits 2 naming the bad flag or file', async () => {
    const noModel = await launch(['serve', '--port', '0']);
    expect(noModel.code).toBe(2);
    expect(noModel.err).toContain('nothing to serve');
    const badSpec = await launch(['serve', '--model', 'digits=only-a-doc.json']);
    expect(badSpec.code).toBe(2);
    expect(badSpec.err).toContain('--model wants NAME=doc.json,weights.safetensors');
    const missing = await launch(['serve', '--model', 'digits=/nonexistent/doc.json,/nonexistent/w.safetensors', '--backend', 'cpu']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('cannot read /nonexistent/doc.json: no such file');
    const badBatch = await launch(['serve', '--model', 'a=b,c', '--max-batch', '0']);
    expect(badBatch.code).toBe(2);
    expect(badBatch.err).toContain('--max-batch wants a positive whole number, not "0"');
  }, 120_000);
});
