#!/usr/bin/env node
// Finds a Chromium for the browser tests, installing one if there is none.
// Order: $CHROMIUM_PATH, /usr/bin/chromium (Debian's runs WebGPU on SwiftShader without a GPU),
// `apt-get install chromium` when root, else Playwright's own download.
// CLI: `node scripts/chromium.mjs` prints the path of the browser it settled on.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
/** Where Debian's Chromium keeps its libraries, among them libvulkan.so.1 and SwiftShader. */
export const CHROMIUM_LIB_DIR = '/usr/lib/chromium';

/** `env` with CHROMIUM_LIB_DIR first on LD_LIBRARY_PATH (Node's `webgpu` package dlopens libvulkan.so.1). */
export function withChromiumLibraries(env = process.env) {
  if (!existsSync(CHROMIUM_LIB_DIR)) return { ...env };
  const paths = (env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean);
  if (paths.includes(CHROMIUM_LIB_DIR)) return { ...env };
  return { ...env, LD_LIBRARY_PATH: [CHROMIUM_LIB_DIR, ...paths].join(delimiter) };
}

function log(message) {
  console.error(`[chromium] ${message}`);
}

function run(command, args, options = {}) {
  log(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  return result.status === 0;
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

async function playwrightChromiumPath() {
  const { chromium } = await import('@playwright/test');
  return chromium.executablePath();
}

/**
 * The Chromium to test with.
 * @returns {Promise<{ path: string, source: 'CHROMIUM_PATH' | 'system' | 'apt-get' | 'playwright' }>}
 *   `path` is the executable; for `playwright` it is Playwright's own download, which it finds by itself.
 */
export async function findOrInstallChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return { path: fromEnv, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: 'system' };

  if (process.getuid?.() === 0 && hasCommand('apt-get')) {
    log(`no ${SYSTEM_CHROMIUM}; installing Debian's chromium with apt-get (runs as root)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['update'], { env }) && run('apt-get', ['install', '-y', 'chromium'], { env })) {
      if (existsSync(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: 'apt-get' };
    }
    log("apt-get did not give a chromium; falling back to Playwright's download");
  }

  const downloaded = await playwrightChromiumPath();
  if (!existsSync(downloaded)) {
    log("downloading Playwright's chromium");
    if (!run('npx', ['playwright', 'install', 'chromium'])) {
      throw new Error('could not install Chromium: set CHROMIUM_PATH to a Chromium or Chrome executable');
    }
  }
  return { path: await playwrightChromiumPath(), source: 'playwright' };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const { path } = await findOrInstallChromium();
    console.log(path);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
