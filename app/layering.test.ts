import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Lints snippets as if they lived at a given path, against the project's real eslint.config.js.
const root = fileURLToPath(new URL('..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: `${root}eslint.config.js` });

async function restrictions(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layering lint rules (DESIGN.md: app → workers → engine)', () => {
  it('forbids UI packages in engine/', async () => {
    expect(await restrictions('engine/ops/x.ts', "import React from 'react';\nexport const a = React;\n")).toHaveLength(1);
    expect(await restrictions('engine/ops/x.ts', "import { create } from 'zustand';\nexport const a = create;\n")).toHaveLength(1);
    expect(await restrictions('engine/ops/x.ts', "import { createRoot } from 'react-dom/client';\nexport const a = createRoot;\n")).toHaveLength(1);
  });

  it('forbids engine/ importing app/ or workers/', async () => {
    expect(await restrictions('engine/ops/x.ts', "import { a } from '../../app/store';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restrictions('engine/ops/x.ts', "import { a } from '../../workers/api';\nexport const b = a;\n")).toHaveLength(1);
  });

  it('forbids DOM globals in engine/ but allows navigator.gpu', async () => {
    expect(await restrictions('engine/backends/x.ts', 'export const w = window.innerWidth;\n')).toHaveLength(1);
    expect(await restrictions('engine/backends/x.ts', 'export const d = document.title;\n')).toHaveLength(1);
    expect(await restrictions('engine/backends/x.ts', "export const s = localStorage.getItem('k');\n")).toHaveLength(1);
    expect(await restrictions('engine/backends/x.ts', 'export const g = navigator.gpu;\n')).toEqual([]);
  });

  it('forbids workers/ importing app/ or UI packages, but allows comlink and engine/', async () => {
    expect(await restrictions('workers/x.ts', "import { a } from '../app/store';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restrictions('workers/x.ts', "import { useState } from 'react';\nexport const b = useState;\n")).toHaveLength(1);
    const fine = "import * as Comlink from 'comlink';\nimport { a } from '../engine/compile';\nexport const b = [Comlink, a];\n";
    expect(await restrictions('workers/x.ts', fine)).toEqual([]);
  });

  it('lets workers/ import app/storage (the one database) and nothing else of app/', async () => {
    expect(await restrictions('workers/x.ts', "import { a } from '../app/storage/database';\nexport const b = a;\n")).toEqual([]);
    expect(await restrictions('workers/x.ts', "import { a } from '../app/store/editorStore';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restrictions('workers/x.ts', "import { a } from '../app/storageless';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restrictions('workers/x.ts', "import { a } from '../app';\nexport const b = a;\n")).toHaveLength(1);
  });

  it('keeps app/storage free of the page: no other app/ folder, no UI package', async () => {
    expect(await restrictions('app/storage/x.ts', "import { a } from '../files/autosave';\nexport const b = a;\n")).toHaveLength(1);
    expect(await restrictions('app/storage/x.ts', "import { useState } from 'react';\nexport const b = useState;\n")).toHaveLength(1);
    expect(await restrictions('app/storage/x.ts', "import { a } from './schema';\nimport { openDB } from 'idb';\nexport const b = [a, openDB];\n")).toEqual([]);
  });

  it('lets engine/ import its own modules', async () => {
    expect(await restrictions('engine/nn/x.ts', "import { a } from '../ops/defs';\nexport const b = a;\n")).toEqual([]);
  });

  it('forbids app/ runtime imports from engine/ outside engine/graph', async () => {
    expect(await restrictions('app/x.ts', "import { x } from '../engine/ops/defs';\nexport const y = x;\n")).toHaveLength(1);
    expect(await restrictions('app/panels/x.tsx', "import { x } from '../../engine/compile';\nexport const y = x;\n")).toHaveLength(1);
  });

  it('allows app/ to import engine/graph and types from anywhere in engine/', async () => {
    expect(await restrictions('app/x.ts', "import { x } from '../engine/graph/schema';\nexport const y = x;\n")).toEqual([]);
    expect(await restrictions('app/x.ts', "import type { X } from '../engine/ops/types';\nexport type Y = X;\n")).toEqual([]);
  });

  it('reports nothing else for the snippets above (the test inputs are otherwise clean)', async () => {
    const [result] = await eslint.lintText("import React from 'react';\nexport const a = React;\n", {
      filePath: `${root}engine/ops/x.ts`,
    });
    expect(result.messages.map((m) => m.ruleId)).toEqual(['no-restricted-imports']);
  });
});
