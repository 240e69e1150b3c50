/** How tensors are stored on the GPU: 4 bytes per element, bool as u32 0/1. */
import { sizeOf } from '../../ops/shape';
import type { DType, TensorType } from '../../ops/types';
import type { Data } from '../backend';
import type { GpuData } from './kernel';

/**
 * WebGPU's flag values (fixed by the spec), spelled out so this module loads before the GPU*
 * globals exist (in Node they come from the `webgpu` package at run time).
 */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;

/** GPUMapMode.READ (fixed by the spec, like USAGE). */
export const MAP_MODE_READ = 0x1;

/** Values as dtype would store them on the GPU (4 bytes each; bool as u32 0/1). */
export function gpuData(dtype: DType, values: ArrayLike<number>): GpuData {
  if (dtype === 'f32') return Float32Array.from(values);
  if (dtype === 'i32') return Int32Array.from(values, (v) => v | 0); // ToInt32, like the Int32Array store
  return Uint32Array.from(values, (v) => (v !== 0 ? 1 : 0));
}

/** Bytes the GPU stores for a tensor: 4 per element (bool as u32), at least 4 (a binding cannot be empty). */
export function bytesOf(type: TensorType): number {
  return Math.max(4, sizeOf(type.shape) * 4);
}

/** Host data as the GPU stores it, without a copy when it already is. */
export function toGpu(dtype: DType, data: Data): GpuData {
  if (dtype === 'f32' && data instanceof Float32Array) return data;
  if (dtype === 'i32' && data instanceof Int32Array) return data;
  return gpuData(dtype, data);
}

/** GPU bytes as the host Data the CPU reference uses (bool → Uint8Array 0/1). */
export function fromGpu(dtype: DType, bytes: ArrayBuffer, size: number): Data {
  if (dtype === 'f32') return new Float32Array(bytes, 0, size);
  if (dtype === 'i32') return new Int32Array(bytes, 0, size);
  return Uint8Array.from(new Uint32Array(bytes, 0, size));
}
