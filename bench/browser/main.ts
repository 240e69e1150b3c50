/**
 * The benchmark page: starts the worker that does all the work (as the studio trains in a worker),
 * passes it the URL's options, and shows its progress and report. scripts/bench.mjs drives this page
 * headless and reads `window.benchReport`.
 */
import type { WorkerMessage } from './protocol';

const out = document.getElementById('out')!;
const print = (line: string) => {
  out.textContent += line + '\n';
  console.log(line);
};
const state = window as unknown as { benchReport?: string; benchError?: string };

const query = new URLSearchParams(location.search);
// `?suite=scale` (npm run bench:scale) runs the scaling grid; anything else, npm run bench's suite.
const worker =
  query.get('suite') === 'scale'
    ? new Worker(new URL('./scale.worker.ts', import.meta.url), { type: 'module', name: 'wiregrad-bench-scale' })
    : new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'wiregrad-bench' });
worker.addEventListener('message', (e: MessageEvent<WorkerMessage>) => {
  const m = e.data;
  if (m.kind === 'log') print(`[bench] ${m.line}`);
  else if (m.kind === 'report') {
    print(m.text);
    state.benchReport = m.text;
  } else {
    print(`ERROR ${m.message}`);
    state.benchError = m.message;
  }
});
worker.addEventListener('error', (e) => {
  state.benchError = `the benchmark worker crashed: ${e.message}`;
  print(`ERROR ${state.benchError}`);
});
worker.postMessage(Object.fromEntries(query));
