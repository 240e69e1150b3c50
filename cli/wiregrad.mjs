#!/usr/bin/env node
// `npx wiregrad …`: runs the TypeScript entry (cli/wiregrad.ts) through tsx in a child Node, whose
// environment lets Dawn find a Vulkan driver: on a machine without a Vulkan loader of its own,
// Chromium's SwiftShader (/usr/lib/chromium), as vitest.config.ts and bench:node do. A loader's
// search path is read only at process start, hence the child. Signals are passed on; the exit
// code is the child's.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHROMIUM_LIB = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
const SYSTEM_VULKAN = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

const env = { ...process.env };
if (!env.VK_ICD_FILENAMES && !SYSTEM_VULKAN.some((p) => existsSync(p)) && existsSync(SWIFTSHADER_ICD)) {
  env.LD_LIBRARY_PATH = [CHROMIUM_LIB, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
env.XDG_RUNTIME_DIR ??= '/tmp';

const entry = join(dirname(fileURLToPath(import.meta.url)), 'wiregrad.ts');
const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), entry, ...process.argv.slice(2)], { stdio: 'inherit', env });
// The child stops cleanly on SIGINT; a terminal's Ctrl-C reaches both of us, and it takes a repeat within a moment as one.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (constants.signals[signal] ?? 1)); // as a shell reports a child killed by a signal
});
