/**
 * The HTTP routes, TF Serving's REST API on hono: model status, metadata and predict, with errors as
 * {"error": "..."} and a 4xx status for what the client got wrong.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ModelRegistry } from './registry';
import { formatPredict, parsePredict, RequestError } from './request';
import type { TensorSignature } from './runner';

export interface ServeLimits {
  /** Largest request body, in bytes. */
  readonly maxBodyBytes: number;
  /** Most instances (samples) in one predict request. */
  readonly maxInstances: number;
}

const DT = { f32: 'DT_FLOAT', i32: 'DT_INT32' } as const;

function version(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new RequestError(400, `version: expected a whole number, got "${raw}"`);
  return Number(raw);
}

/** A path segment as text; a malformed %-escape is the client's error. */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new RequestError(400, `the path has a malformed %-escape: ${raw}`);
  }
}

const tensorInfo = (s: TensorSignature) => ({
  dtype: DT[s.dtype],
  tensor_shape: { dim: [{ size: '-1', name: '' }, ...s.shape.map((d) => ({ size: String(d), name: '' }))], unknown_rank: false },
  name: s.name,
});

/** The predict path's tail: NAME[/versions/V]:VERB. */
const PREDICT_PATH = /^([^/:]+)(?:\/versions\/([^/:]+))?:([A-Za-z]+)$/;

export function createApp(registry: ModelRegistry, limits: ServeLimits): Hono {
  const app = new Hono();
  const fail = (c: Context, e: unknown) => {
    if (e instanceof RequestError) return c.json({ error: e.message }, e.status);
    return c.json({ error: `internal error: ${e instanceof Error ? e.message : String(e)}` }, 500);
  };
  app.onError((e, c) => fail(c, e));
  app.notFound((c) =>
    c.json(
      { error: `no such endpoint: ${c.req.method} ${c.req.path} (try GET /v1/models/NAME, GET /v1/models/NAME/metadata, POST /v1/models/NAME:predict)` },
      404,
    ),
  );

  const status = (c: Context) => c.json(registry.status(c.req.param('name')!, version(c.req.param('version'))));
  const metadata = (c: Context) => {
    const name = c.req.param('name')!;
    const v = registry.acquire(name, version(c.req.param('version')));
    try {
      const runner = v.batcher!.runner;
      return c.json({
        model_spec: { name, signature_name: '', version: String(v.version) },
        metadata: {
          signature_def: {
            signature_def: {
              serving_default: {
                inputs: Object.fromEntries(runner.inputs.map((s) => [s.name, tensorInfo(s)])),
                outputs: Object.fromEntries(runner.outputs.map((s) => [s.name, tensorInfo(s)])),
                method_name: 'tensorflow/serving/predict',
              },
            },
          },
        },
      });
    } finally {
      registry.release(v);
    }
  };
  app.get('/v1/models/:name', status);
  app.get('/v1/models/:name/versions/:version', status);
  app.get('/v1/models/:name/metadata', metadata);
  app.get('/v1/models/:name/versions/:version/metadata', metadata);

  app.post(
    '/v1/models/*',
    bodyLimit({
      maxSize: limits.maxBodyBytes,
      onError: (c) => c.json({ error: `body: over the limit of ${limits.maxBodyBytes} bytes` }, 413, { Connection: 'close' }),
    }), // the rest of the body is not read
    async (c) => {
      const tail = c.req.path.slice('/v1/models/'.length);
      const m = PREDICT_PATH.exec(decoded(tail));
      if (!m) return c.json({ error: `no such endpoint: POST ${c.req.path} (predict is POST /v1/models/NAME[/versions/V]:predict)` }, 404);
      const [, name, rawVersion, verb] = m;
      if (verb !== 'predict') return c.json({ error: `:${verb} is not served here; this server answers :predict` }, 400);
      const wanted = version(rawVersion);
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new RequestError(400, `body: malformed JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const v = registry.acquire(name!, wanted);
      try {
        const batcher = v.batcher!;
        const input = parsePredict(body, batcher.runner.inputs, limits.maxInstances);
        const out = await batcher.predict(input.tensors, input.n);
        return c.json(formatPredict(out, batcher.runner.outputs, input));
      } finally {
        registry.release(v);
      }
    },
  );
  return app;
}
