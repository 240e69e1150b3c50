import { Linter } from 'eslint';
import { resolve } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { APP_LAYERS, appLayers } from '../scripts/eslintAppLayers.mjs';

// The lint rule that keeps app/ folders in layers: it must refuse an upward import and allow the rest.
const app = resolve(import.meta.dirname);
const lint = (file: string, code: string) =>
  new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { wiregrad: { rules: { 'app-layers': appLayers } } },
        rules: { 'wiregrad/app-layers': 'error' },
      },
    ],
    resolve(app, file),
  );

describe('the app-layers lint rule', () => {
  it('refuses an import from a higher folder, naming both', () => {
    const [problem, ...rest] = lint('store/x.ts', "import { a } from '../canvas/flowModel';\nexport { b } from '../dashboard/runs';");
    expect(problem!.message).toMatch(/app\/store may not import app\/canvas/);
    expect(rest).toHaveLength(1);
  });

  it('allows imports from lower folders, within the folder, and outside app/', () => {
    expect(
      lint('canvas/x.ts', "import { a } from '../store/editorStore';\nimport { b } from './flowModel';\nimport type { C } from '../../engine/graph/document';"),
    ).toEqual([]);
    expect(lint('canvas/sub/x.ts', "import { a } from '../../store/editorStore';")).toEqual([]);
  });

  it('lists every app/ folder that has source files', async () => {
    const { readdirSync, statSync } = await import('node:fs');
    const folders = readdirSync(app).filter((name) => statSync(resolve(app, name)).isDirectory());
    expect(folders.filter((f) => !APP_LAYERS.includes(f))).toEqual([]);
  });
});
