#!/usr/bin/env node
// Finds a Python with the `onnx` package for the ONNX export's checker test, installing Debian's
// python3-onnx (onnx 1.12) with apt-get when there is none and this runs as root, as
// scripts/chromium.mjs does for Chromium. Debian's packages install into /usr/bin/python3; a
// `python3` earlier on PATH may be another interpreter without them, so that one is tried first.
// CLI: `node scripts/python-onnx.mjs` prints the interpreter it settled on, or why there is none.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';

function log(message) {
  console.error(`[python-onnx] ${message}`);
}

function hasOnnx(python) {
  return existsSync(python) && spawnSync(python, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
}

/**
 * A Python that imports onnx.
 * @returns {{ python: string, source: 'PYTHON_ONNX' | 'system' | 'apt-get' } | { python: null, reason: string }}
 */
export function findOrInstallPythonOnnx() {
  const fromEnv = process.env.PYTHON_ONNX;
  if (fromEnv) {
    if (!hasOnnx(fromEnv)) throw new Error(`PYTHON_ONNX is set to ${fromEnv}, which cannot import onnx`);
    return { python: fromEnv, source: 'PYTHON_ONNX' };
  }
  if (hasOnnx(SYSTEM_PYTHON)) return { python: SYSTEM_PYTHON, source: 'system' };
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt) {
    return { python: null, reason: `${SYSTEM_PYTHON} cannot import onnx, and installing python3-onnx needs apt-get as root (or set PYTHON_ONNX)` };
  }
  log(`${SYSTEM_PYTHON} cannot import onnx; installing Debian's python3-onnx with apt-get (runs as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['install', '-y', 'python3-onnx'], ['update'], ['install', '-y', 'python3-onnx']]) {
    log(`$ apt-get ${args.join(' ')}`);
    spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (args[0] === 'install' && hasOnnx(SYSTEM_PYTHON)) return { python: SYSTEM_PYTHON, source: 'apt-get' };
  }
  return { python: null, reason: 'apt-get install python3-onnx did not give /usr/bin/python3 the onnx package' };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findOrInstallPythonOnnx();
  if (found.python) console.log(found.python);
  else {
    console.error(found.reason);
    process.exit(1);
  }
}
