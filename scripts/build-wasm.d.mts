/** The WASM kernels compiled now from engine/backends/wasm/assembly, as bytes. */
export function buildWasm(): Promise<Uint8Array>;
/** The TS module (engine/backends/wasm/kernels.wasm.ts) that carries `binary` as base64. */
export function moduleSource(binary: Uint8Array): string;
