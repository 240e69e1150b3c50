/** The `wiregrad` launcher as a child process, for the tests that run it as a person would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const LAUNCHER = join(import.meta.dirname, 'wiregrad.mjs');

/**
 * Run `wiregrad ...args`; `onStderr` sees everything written to stderr so far after each chunk
 * (and the child, to signal it). Resolves with the exit code and the whole stderr.
 */
export function launch(args: string[], onStderr?: (text: string, child: ChildProcess) => void): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [LAUNCHER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    onStderr?.(err, child);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, err })));
}
