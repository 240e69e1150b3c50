#!/usr/bin/env node
// `npm run bench:serve`: bench/serve.ts (the loopback load test of `wiregrad serve` beside an ONNX
// Runtime peer) through tsx, bounded: stopped after BENCH_SERVE_TIMEOUT_S (default 300) seconds.
// Arguments pass through to the bench (--help lists them).
import { spawn } from 'node:child_process';

const LIMIT_S = Number(process.env.BENCH_SERVE_TIMEOUT_S ?? 300);
const child = spawn('npx', ['tsx', 'bench/serve.ts', ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
const timer = setTimeout(() => {
  console.error(`[bench:serve] over ${LIMIT_S} s: stopped`);
  process.kill(-child.pid, 'SIGINT');
}, LIMIT_S * 1000);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.kill(-child.pid, signal));
child.on('exit', (code, signal) => {
  clearTimeout(timer);
  process.exit(code ?? (signal ? 1 : 0));
});
