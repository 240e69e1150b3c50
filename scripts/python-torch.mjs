#!/usr/bin/env node
// Finds a Python with PyTorch for the PyTorch export's tests, installing Debian's python3-torch
// (PyTorch 1.13, CPU) with apt-get when there is none and this runs as root, as
// scripts/python-onnx.mjs does for onnx. Debian's packages install into /usr/bin/python3.
// CLI: `node scripts/python-torch.mjs` prints the interpreter it settled on, or why there is none.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEM_PYTHON = '/usr/bin/python3';

function log(message) {
  console.error(`[python-torch] ${message}`);
}

// numpy too: train.py reads .npz data and writes safetensors through it.
function hasTorch(python) {
  return existsSync(python) && spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
}

/**
 * A Python that imports torch.
 * @returns {{ python: string, source: 'PYTHON_TORCH' | 'system' | 'apt-get' } | { python: null, reason: string }}
 */
export function findOrInstallPythonTorch() {
  const fromEnv = process.env.PYTHON_TORCH;
  if (fromEnv) {
    if (!hasTorch(fromEnv)) throw new Error(`PYTHON_TORCH is set to ${fromEnv}, which cannot import torch and numpy`);
    return { python: fromEnv, source: 'PYTHON_TORCH' };
  }
  if (hasTorch(SYSTEM_PYTHON)) return { python: SYSTEM_PYTHON, source: 'system' };
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (process.getuid?.() !== 0 || !hasApt) {
    return { python: null, reason: `${SYSTEM_PYTHON} cannot import torch, and installing python3-torch needs apt-get as root (or set PYTHON_TORCH)` };
  }
  log(`${SYSTEM_PYTHON} cannot import torch; installing Debian's python3-torch with apt-get (runs as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['install', '-y', 'python3-torch'], ['update'], ['install', '-y', 'python3-torch']]) {
    log(`$ apt-get ${args.join(' ')}`);
    spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (args[0] === 'install' && hasTorch(SYSTEM_PYTHON)) return { python: SYSTEM_PYTHON, source: 'apt-get' };
  }
  return { python: null, reason: 'apt-get install python3-torch did not give /usr/bin/python3 the torch package' };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findOrInstallPythonTorch();
  if (found.python) console.log(found.python);
  else {
    console.error(found.reason);
    process.exit(1);
  }
}
