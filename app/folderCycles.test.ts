import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The page's folders form layers: a folder may use another only if that one does not (directly or
// through others) use it back. A cycle between folders means neither can be understood or moved alone.

const appDir = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The app/ folder a path lies in ('' for app/ itself), or undefined outside app/. */
function folderOf(path: string): string | undefined {
  const rel = relative(appDir, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : '';
}

/** Folder → folders it imports from at runtime or for types (both tie the folders together). */
function folderGraph(files: readonly string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = folderOf(file)!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:import|export)[^'";]*?from\s+['"](\.[^'"]+)['"]/g)) {
      const to = folderOf(resolve(dirname(file), m[1]));
      if (to === undefined || to === from || to === '' || from === '') continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle's folders, each found once, as "a → b → a". */
function folderCycles(graph: Map<string, Set<string>>): string[] {
  const cycles = new Set<string>();
  const walk = (start: string, at: string, path: string[]) => {
    for (const next of graph.get(at) ?? []) {
      if (next === start) {
        const ring = [...path];
        const min = ring.indexOf([...ring].sort()[0]);
        const turned = [...ring.slice(min), ...ring.slice(0, min)];
        cycles.add([...turned, turned[0]].join(' → '));
      } else if (!path.includes(next) && path.length < 8) walk(start, next, [...path, next]);
    }
  };
  for (const start of graph.keys()) walk(start, start, [start]);
  return [...cycles].sort();
}

describe('app/ folders import one another without cycles', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const graph = new Map([
      ['canvas', new Set(['dashboard'])],
      ['dashboard', new Set(['training'])],
      ['training', new Set(['canvas'])],
      ['store', new Set<string>()],
    ]);
    expect(folderCycles(graph)).toEqual(['canvas → dashboard → training → canvas']);
  });

  it('has none in the page, its tests included', () => {
    const graph = folderGraph(sourceFiles(appDir));
    expect(graph.size).toBeGreaterThan(5);
    expect(folderCycles(graph)).toEqual([]);
  });
});
