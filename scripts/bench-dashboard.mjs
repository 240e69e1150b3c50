#!/usr/bin/env node
// `npm run bench:dashboard`: build the app, serve it, and run bench/dashboard.ts against it in
// headless Chromium (WebGPU where the browser has it). Arguments pass through to the bench.
import { spawn, spawnSync } from 'node:child_process';
import { findOrInstallChromium, withChromiumLibraries } from './chromium.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 4187);
const OUT = process.env.BENCH_OUT ?? 'dist-bench-dashboard';

const browser = await findOrInstallChromium();
const env = { ...withChromiumLibraries(), CHROMIUM_PATH: browser.path, BENCH_URL: `http://127.0.0.1:${PORT}` };

const build = spawnSync('npx', ['vite', 'build', '--outDir', OUT, '--logLevel', 'warn'], { stdio: 'inherit', env });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn('npx', ['vite', 'preview', '--outDir', OUT, '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], {
  stdio: 'ignore',
  env,
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid);
  } catch {
    // already gone
  }
};
process.on('exit', stop);

// Wait for the server to answer.
for (let i = 0; ; i++) {
  try {
    if ((await fetch(env.BENCH_URL)).ok) break;
  } catch {
    // not up yet
  }
  if (i > 100) {
    console.error('[bench] the preview server did not start');
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}

const bench = spawnSync('npx', ['tsx', 'bench/dashboard.ts', ...process.argv.slice(2)], { stdio: 'inherit', env });
stop();
process.exit(bench.status ?? 1);
