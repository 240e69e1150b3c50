/** The kernels' builds: one thread (own memory) and shared (imported shared memory, for threads). */
export type WasmVariant = 'single' | 'shared';
export const SHARED_MAXIMUM_PAGES: number;
export const VARIANTS: Readonly<Record<WasmVariant, { readonly out: string; readonly name: string; readonly flags: readonly string[] }>>;
export function buildWasm(variant?: WasmVariant): Promise<Uint8Array>;
export function moduleSource(binary: Uint8Array, variant?: WasmVariant): string;
