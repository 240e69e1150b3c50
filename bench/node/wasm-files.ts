/**
 * Where tfjs-wasm finds its .wasm files in Node. Run from the repository (tsx), tfjs-backend-wasm
 * finds them in its own package, so this says nothing; scripts/bundle-bench-node.mjs swaps this
 * module for one that carries the files inside the bundle and writes them to a temporary folder.
 */
export async function wasmDir(): Promise<string | undefined> {
  return undefined;
}
