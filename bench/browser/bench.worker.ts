/// <reference lib="webworker" />
/**
 * The benchmark worker: every implementation runs here, in one dedicated Worker on one adapter, as
 * the studio's training does. Receives the options (URL query of the page), posts progress lines
 * and the report.
 */
import { parseOptions } from '../lib/options';
import { formatReport } from '../lib/report';
import { runSuite } from '../lib/suite';
import { engineSteps } from './engine-steps';
import { post, workerBenchEnv } from './workerEnv';

async function main(query: Record<string, string>): Promise<void> {
  const opts = parseOptions((name) => query[name]);
  const env = await workerBenchEnv();
  post({ kind: 'report', text: formatReport(await runSuite(env, opts)) });
}

/** `?mode=engine&template=…&seconds=…&data=<app origin>`: only the engine-alone steps/s for bench:app. */
async function engine(query: Record<string, string>): Promise<void> {
  const run = await engineSteps(query.template ?? 'mlp-mnist', Number(query.seconds ?? 30), query.data ?? location.origin, (line) =>
    post({ kind: 'log', line }),
  );
  post({ kind: 'report', text: JSON.stringify(run) });
}

addEventListener(
  'message',
  (e: MessageEvent<Record<string, string>>) => {
    (e.data.mode === 'engine' ? engine(e.data) : main(e.data)).catch((err: unknown) =>
      post({ kind: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) }),
    );
  },
  { once: true },
);
