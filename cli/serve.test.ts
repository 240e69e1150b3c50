/**
 * `wiregrad serve` in-process on a free port (CPU backend): TF Serving's status and metadata, row and
 * columnar predictions equal to the engine's own inference (the CPU backend's Program, run directly)
 * alone and merged into device batches, and every bad request refused with its 4xx naming the field.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVE_DEFAULTS, startServer, type RunningServer } from './serve';
import { engineForward, mnistMlp, randomImages, randomWeights, writeModel } from './serve/testModels';

const doc = mnistMlp();
const weights = randomWeights(doc, 7);
const MAX_INSTANCES = 40;
const MAX_BODY = 2 * 2 ** 20;
let server: RunningServer;
const log: string[] = [];

beforeAll(async () => {
  // (Loading prepares a program per batch bucket; a busy machine takes a while.)
  const paths = writeModel(mkdtempSync(join(tmpdir(), 'wg-serve-')), doc, weights);
  server = await startServer(
    { ...SERVE_DEFAULTS, port: 0, backend: 'cpu', maxBatch: 8, maxInstances: MAX_INSTANCES, maxBodyBytes: MAX_BODY, models: [{ name: 'mnist', ...paths }] },
    (l) => log.push(l),
  );
}, 60_000);
afterAll(() => server.close(), 60_000);

const post = async (path: string, body: unknown) => {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};
const get = async (path: string) => {
  const r = await fetch(`${server.url}${path}`);
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};
const rowsOf = (x: Float32Array, width: number) => Array.from({ length: x.length / width }, (_v, i) => Array.from(x.subarray(i * width, (i + 1) * width)));

function expectClose(got: unknown, want: Float32Array, width: number) {
  const flat = (got as number[][]).flat();
  expect((got as unknown[]).length * width).toBe(want.length);
  expect(flat).toHaveLength(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(flat[i]! - want[i]!));
  expect(worst).toBeLessThan(1e-5);
}

describe('wiregrad serve: the TF Serving REST API', () => {
  it('reports the model AVAILABLE and its signature', async () => {
    expect(await get('/v1/models/mnist')).toEqual({
      status: 200,
      json: { model_version_status: [{ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } }] },
    });
    expect((await get('/v1/models/mnist/versions/1')).status).toBe(200);
    const meta = await get('/v1/models/mnist/metadata');
    expect(meta.status).toBe(200);
    expect(meta.json.model_spec).toEqual({ name: 'mnist', signature_name: '', version: '1' });
    const sig = (meta.json.metadata as { signature_def: { signature_def: { serving_default: { inputs: object; outputs: object; method_name: string } } } })
      .signature_def.signature_def.serving_default;
    expect(sig.method_name).toBe('tensorflow/serving/predict');
    expect(sig.inputs).toEqual({
      x: {
        dtype: 'DT_FLOAT',
        name: 'x',
        tensor_shape: {
          dim: [
            { size: '-1', name: '' },
            { size: '784', name: '' },
          ],
          unknown_rank: false,
        },
      },
    });
    expect(sig.outputs).toEqual({
      logits: {
        dtype: 'DT_FLOAT',
        name: 'logits',
        tensor_shape: {
          dim: [
            { size: '-1', name: '' },
            { size: '10', name: '' },
          ],
          unknown_rank: false,
        },
      },
    });
    expect((await get('/v1/models/mnist/versions/1/metadata')).status).toBe(200);
  });

  it('predicts what the engine computes, in row and columnar form, over the batch limit too', async () => {
    const x = randomImages(13, 1); // 13 > --max-batch 8: two device runs
    const want = await engineForward(doc, weights, 'x', x, 'logits');
    const rows = await post('/v1/models/mnist:predict', { instances: rowsOf(x, 784) });
    expect(rows.status).toBe(200);
    expectClose(rows.json.predictions, want, 10);
    const named = await post('/v1/models/mnist/versions/1:predict', { signature_name: 'serving_default', instances: rowsOf(x, 784).map((r) => ({ x: r })) });
    expectClose(named.json.predictions, want, 10);
    const cols = await post('/v1/models/mnist:predict', { inputs: rowsOf(x, 784) });
    expect(Object.keys(cols.json)).toEqual(['outputs']);
    expectClose(cols.json.outputs, want, 10);
    const colsNamed = await post('/v1/models/mnist:predict', { inputs: { x: rowsOf(x, 784) } });
    expectClose(colsNamed.json.outputs, want, 10);
  });

  it('merges concurrent calls into device batches and gives each caller its own rows', async () => {
    const x = randomImages(24, 2);
    const want = await engineForward(doc, weights, 'x', x, 'logits');
    const version = server.registry.acquire('mnist');
    const batcher = version.batcher!;
    server.registry.release(version);
    const [runs0, samples0] = [batcher.runs, batcher.samples];
    const answers = await Promise.all(rowsOf(x, 784).map((row) => post('/v1/models/mnist:predict', { instances: [row] })));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expectClose(a.json.predictions, want.subarray(i * 10, (i + 1) * 10), 10);
    });
    expect(batcher.samples - samples0).toBe(24);
    expect(batcher.runs - runs0).toBeLessThanOrEqual(24);
  });

  const ONE = Array.from(randomImages(1, 3));
  const cases: [string, string, unknown, number, RegExp][] = [
    ['malformed JSON', '/v1/models/mnist:predict', '{"instances": [[1, 2,', 400, /^body: malformed JSON/],
    ['NaN (not JSON)', '/v1/models/mnist:predict', `{"instances": [[NaN${',0'.repeat(783)}]]}`, 400, /^body: malformed JSON/],
    ['a body that is not an object', '/v1/models/mnist:predict', [1, 2], 400, /^the body must be a JSON object/],
    ['neither instances nor inputs', '/v1/models/mnist:predict', { examples: [] }, 400, /"examples": not a predict request field/],
    ['both instances and inputs', '/v1/models/mnist:predict', { instances: [ONE], inputs: [ONE] }, 400, /not both/],
    ['no instances', '/v1/models/mnist:predict', { instances: [] }, 400, /^instances: no instances/],
    ['instances not a list', '/v1/models/mnist:predict', { instances: 3 }, 400, /^instances: expected a list/],
    ['a wrong shape', '/v1/models/mnist:predict', { instances: [ONE, ONE.slice(1)] }, 400, /^instances\[1\]: expected shape \[784\], got \[783\]$/],
    [
      'a ragged row',
      '/v1/models/mnist:predict',
      { instances: [[...ONE.slice(1), [1, 2]]] },
      400,
      /^instances\[0\]: expected shape \[784\], got \[784, 2\] \(at instances\[0\]\[783\]\)$/,
    ],
    ['a nested shape', '/v1/models/mnist:predict', { instances: [[ONE]] }, 400, /^instances\[0\]: expected shape \[784\], got \[1, 784\]$/],
    [
      'a wrong columnar shape',
      '/v1/models/mnist:predict',
      { inputs: [ONE, ONE.slice(2)] },
      400,
      /^inputs: expected shape \[2, 784\], got \[2, 782\] \(at inputs\[1\]\)$/,
    ],
    [
      'a wrong dtype',
      '/v1/models/mnist:predict',
      { instances: [ONE, [...ONE.slice(0, 5), 'a', ...ONE.slice(6)]] },
      400,
      /^instances\[1\]\[5\]: expected a number \(DT_FLOAT\), got the string "a"$/,
    ],
    ['null', '/v1/models/mnist:predict', { inputs: { x: [[null, ...ONE.slice(1)]] } }, 400, /^inputs\.x\[0\]\[0\]: expected a number \(DT_FLOAT\), got null$/],
    ['Infinity', '/v1/models/mnist:predict', `{"instances": [[1e999${',0'.repeat(783)}]]}`, 400, /^instances\[0\]\[0\]: Infinity is not a finite float32/],
    ['over float32', '/v1/models/mnist:predict', { instances: [[0, 0, 1e39, ...ONE.slice(3)]] }, 400, /^instances\[0\]\[2\]: 1e\+39 is not a finite float32/],
    [
      'an unknown input name',
      '/v1/models/mnist:predict',
      { instances: [{ x: ONE, y: ONE }] },
      400,
      /^instances\[0\]\.y: this model has no input named "y" \(its inputs: x\)$/,
    ],
    ['a missing input', '/v1/models/mnist:predict', { inputs: {} }, 400, /^inputs\.x: missing/],
    [
      'an unknown signature',
      '/v1/models/mnist:predict',
      { signature_name: 'predict_images', instances: [ONE] },
      400,
      /^signature_name: this model has one signature/,
    ],
    [
      'too many instances',
      '/v1/models/mnist:predict',
      { instances: Array.from({ length: MAX_INSTANCES + 1 }, () => [0]) },
      413,
      new RegExp(`^instances: ${MAX_INSTANCES + 1} instances, over the limit of ${MAX_INSTANCES} per request$`),
    ],
    [
      'a body too large',
      '/v1/models/mnist:predict',
      { instances: [ONE], pad: 'x'.repeat(MAX_BODY) },
      413,
      new RegExp(`^body: over the limit of ${MAX_BODY} bytes$`),
    ],
    ['an unknown model', '/v1/models/fashion:predict', { instances: [ONE] }, 404, /^there is no model named "fashion" \(served: "mnist"\)$/],
    ['an unknown version', '/v1/models/mnist/versions/3:predict', { instances: [ONE] }, 404, /^model "mnist" has no version 3 available \(available: 1\)$/],
    [
      'a version that is not a number',
      '/v1/models/mnist/versions/latest:predict',
      { instances: [ONE] },
      400,
      /^version: expected a whole number, got "latest"$/,
    ],
    ['a malformed %-escape in the path', '/v1/models/%E0%A4%A:predict', { instances: [ONE] }, 400, /^the path has a malformed %-escape/],
    ['classify', '/v1/models/mnist:classify', { examples: [] }, 400, /this server answers :predict/],
    ['an unknown endpoint', '/v1/models/mnist/predict', { instances: [ONE] }, 404, /^no such endpoint: POST/],
  ];
  it.each(cases)('refuses %s', async (_what, path, body, status, message) => {
    const r = await post(path, body);
    expect(r.status).toBe(status);
    expect(Object.keys(r.json)).toEqual(['error']);
    expect(r.json.error).toMatch(message);
  });

  it('answers unknown models, versions and endpoints on GET with 404s, and keeps serving after every refusal', async () => {
    expect(await get('/v1/models/fashion')).toEqual({ status: 404, json: { error: 'there is no model named "fashion" (served: "mnist")' } });
    expect((await get('/v1/models/mnist/versions/2')).status).toBe(404);
    expect((await get('/v1/models/mnist/versions/2/metadata')).status).toBe(404);
    expect((await get('/v2/models')).status).toBe(404);
    expect((await get('/v1/models/%E0%A4%A')).status).toBe(404);
    const x = randomImages(1, 4);
    expectClose(
      (await post('/v1/models/mnist:predict', { instances: rowsOf(x, 784) })).json.predictions,
      await engineForward(doc, weights, 'x', x, 'logits'),
      10,
    );
    expect(server.registry.totalInFlight()).toBe(0);
  });
});
