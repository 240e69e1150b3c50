/** Test helpers for the command line run in this process (cli/train.test.ts, cli/trainBackends.gpu.test.ts). */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { readEventFile, type ReadEvent } from './eventReader';
import { main } from './main';

/** A fresh temporary folder. */
export const temp = () => mkdtempSync(join(tmpdir(), 'wg-cli-'));

/** Run the command line in this process; stderr is captured, Ctrl-C never comes. */
export async function cli(...argv: string[]) {
  let err = '';
  let out = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    onInterrupt: () => () => undefined,
  });
  return { code, err, out };
}

/** `doc` (an object, or text as it is) written to `dir/name`; its path. */
export function writeDoc(dir: string, doc: unknown, name = 'doc.json'): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

/** The events of the one TensorBoard event file in `dir`. */
export const eventsIn = (dir: string): ReadEvent[] => {
  const files = readdirSync(dir).filter((f) => f.includes('tfevents'));
  expect(files).toHaveLength(1);
  return readEventFile(join(dir, files[0]!));
};

/** `[step, value]` of each event that logs the scalar `tag`. */
export const scalarSeries = (events: ReadEvent[], tag: string) => events.filter((e) => tag in e.scalars).map((e) => [e.step, e.scalars[tag]!] as const);
