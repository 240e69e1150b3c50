#!/usr/bin/env node
// Bundles bench/node.ts (`npm run bench:node`) into ONE self-contained ES module for a machine with a
// GPU and no repository: everything but the `webgpu` package (Dawn's native addon) is inside, the
// tfjs-wasm .wasm files included. Writes a folder you can copy as is:
//
//   bench/out/node/bench-node.mjs                          the benchmark
//   bench/out/node/node_modules/webgpu/{index.js,package.json,dist/<platform>/dawn.node}
//   bench/out/node/node                                    with --with-node: this Node binary
//
//   node scripts/bundle-bench-node.mjs [--out dir] [--with-node] [--all-platforms]
//   then, there: ./node bench-node.mjs [--steps auto|N] [--impls …]   (or any Node ≥ 20)
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'bench/out/node') },
    'with-node': { type: 'boolean', default: false },
    'all-platforms': { type: 'boolean', default: false },
  },
});
const out = resolve(args.out);
mkdirSync(out, { recursive: true });

const wasmDist = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];

// bench/node/wasm-files.ts, replaced: the .wasm files ride inside the bundle (base64) and are written
// to a temporary folder on first use, so tfjs-wasm reads them from disk as it does in Node.
const embeddedWasm = {
  name: 'embedded-wasm',
  setup(b) {
    b.onResolve({ filter: /\/node\/wasm-files$/ }, () => ({ path: 'embedded-wasm', namespace: 'embedded-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'embedded-wasm' }, () => ({
      loader: 'js',
      contents: `
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const FILES = ${JSON.stringify(Object.fromEntries(WASM_FILES.map((f) => [f, readFileSync(join(wasmDist, f)).toString('base64')])))};
let dir;
export async function wasmDir() {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'wiregrad-bench-wasm-'));
    for (const [name, b64] of Object.entries(FILES)) writeFileSync(join(dir, name), Buffer.from(b64, 'base64'));
  }
  return dir + '/';
}`,
    }));
  },
};

const bundle = join(out, 'bench-node.mjs');
await build({
  entryPoints: [join(root, 'bench/node.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['webgpu'],
  plugins: [embeddedWasm],
  // CommonJS parts of tfjs call require() and read __dirname: give the ES module both.
  banner: {
    js: [
      "import { createRequire as __wgCreateRequire } from 'node:module';",
      "import { dirname as __wgDirname } from 'node:path';",
      "import { fileURLToPath as __wgFileURLToPath } from 'node:url';",
      'const require = __wgCreateRequire(import.meta.url);',
      'const __filename = __wgFileURLToPath(import.meta.url);',
      'const __dirname = __wgDirname(__filename);',
    ].join('\n'),
  },
  legalComments: 'none',
  logLevel: 'warning',
});

// The webgpu package: its loader, and Dawn's addon for this platform (or all of them).
const webgpu = join(root, 'node_modules/webgpu');
const webgpuOut = join(out, 'node_modules/webgpu');
mkdirSync(webgpuOut, { recursive: true });
for (const f of ['index.js', 'package.json', 'LICENSE.md']) copyFileSync(join(webgpu, f), join(webgpuOut, f));
const platformDir = `${process.platform}-${process.platform === 'darwin' ? 'universal' : process.arch}`;
for (const dir of args['all-platforms'] ? readdirSync(join(webgpu, 'dist')) : [platformDir]) {
  mkdirSync(join(webgpuOut, 'dist', dir), { recursive: true });
  for (const f of readdirSync(join(webgpu, 'dist', dir))) copyFileSync(join(webgpu, 'dist', dir, f), join(webgpuOut, 'dist', dir, f));
}
if (args['with-node']) {
  copyFileSync(process.execPath, join(out, 'node'));
  chmodSync(join(out, 'node'), 0o755);
}
writeFileSync(
  join(out, 'README.txt'),
  `Wiregrad bench:node, bundled by scripts/bundle-bench-node.mjs.
Run: node bench-node.mjs [--steps auto|N] [--impls wiregrad-webgpu,...] [--help]   (Node >= 20; ./node if shipped)
Needs a Vulkan driver for Dawn (the GPU's; or SwiftShader: LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
Prints tables and a last line BENCH <json>.
`,
);
const mb = (p) => (statSync(p).size / 1e6).toFixed(1);
console.log(
  `wrote ${bundle} (${mb(bundle)} MB) and ${webgpuOut} (${platformDir}${args['all-platforms'] ? ' and the others' : ''})${args['with-node'] ? ` and ${join(out, 'node')} (${mb(join(out, 'node'))} MB)` : ''}`,
);
