// @ts-check
/**
 * An ESLint rule that keeps the page's folders in layers (issue 12, "no import cycles between app
 * feature folders"): a folder of app/ may import from the folders listed before it, never from those
 * after it, so no two folders can depend on each other. A folder not listed is not checked (add it
 * where it belongs). app/folderCycles.test.ts checks the same from the other side: no cycles at all.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/** app/ folders from the bottom layer up. */
export const APP_LAYERS = [
  'format',
  'hooks',
  'browser',
  'storage',
  'templates',
  'store',
  'layout',
  'charts',
  'training',
  'data',
  'dashboard',
  'probes',
  'inference',
  'generation',
  'canvas',
  'panels',
  'files',
  'toolbar',
];

/** The app/ folder a file or import target lies in, or undefined outside one. */
function appFolder(appDir, path) {
  const rel = relative(appDir, path);
  if (rel.startsWith('..')) return undefined;
  const parts = rel.split(sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const appLayers = {
  meta: {
    type: 'problem',
    docs: { description: 'app/ folders import only from folders below them (APP_LAYERS)' },
    schema: [],
    messages: {
      upward:
        "app/{{from}} may not import app/{{to}}: '{{to}}' is a higher layer than '{{from}}' (scripts/eslintAppLayers.mjs). Move what both need to a folder below both.",
    },
  },
  create(context) {
    const file = context.filename;
    const appDir = resolve(dirname(new URL(import.meta.url).pathname), '..', 'app');
    const from = appFolder(appDir, file);
    const fromLayer = from === undefined ? -1 : APP_LAYERS.indexOf(from);
    if (fromLayer < 0) return {};
    /** @param {any} node */
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = appFolder(appDir, resolve(dirname(file), source));
      if (to === undefined || to === from) return;
      if (APP_LAYERS.indexOf(to) > fromLayer) context.report({ node: node.source, messageId: 'upward', data: { from, to } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
