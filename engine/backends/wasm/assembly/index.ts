// The WASM backend's kernels (AssemblyScript). Built by `npm run build:wasm` into ../kernels.wasm.ts.
export { pack_a, pack_b, gemm_packed, gemm_part } from './gemm';
export { binary_f32, compare_f32, where32, unary_f32 } from './elementwise';
export { sum_f32, max_f32 } from './reduce';
export { im2col, col2im } from './conv';
export { max_pool, u8_to_f32, i32_to_f32 } from './pool';
