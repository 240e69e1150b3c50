/**
 * WASM backend helper threads in Node (tests, bench:node, the CLI): worker_threads Workers that run
 * threadLoop from its source text (SharedArrayBuffer always works there). Node only: the page
 * bundle never imports this file.
 */
import { Worker } from 'node:worker_threads';
import { threadLoop } from './threadLoop';
import type { SpawnThread } from './threads';

const SOURCE = `const { parentPort } = require('node:worker_threads');
const threadLoop = ${threadLoop.toString()};
parentPort.once('message', (init) => threadLoop(init, () => parentPort.postMessage('ready')));`;

export const spawnNodeThread: SpawnThread = (init) => {
  const worker = new Worker(SOURCE, { eval: true, name: `wasm thread ${init.slot}` });
  worker.unref(); // a helper blocked in Atomics.wait must not keep the process alive
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.postMessage(init);
  return { ready, terminate: () => void worker.terminate() };
};
