/** The WGSL kernels, one per op; the WgslKernelTable type makes a missing one a compile error. */
import type { WgslKernelTable } from '../kernel';
import { CONV_KERNELS } from './conv';
import { ELEMENTWISE_KERNELS } from './elementwise';
import { INDEXING_KERNELS } from './indexing';
import { MATMUL_KERNELS } from './matmul';
import { MOVEMENT_KERNELS } from './movement';
import { POOL_KERNELS } from './pool';
import { REDUCE_KERNELS } from './reduce';
import { SOURCE_KERNELS } from './sources';

export const WGSL_KERNELS: WgslKernelTable = {
  ...ELEMENTWISE_KERNELS,
  ...SOURCE_KERNELS,
  ...REDUCE_KERNELS,
  ...MATMUL_KERNELS,
  ...MOVEMENT_KERNELS,
  ...INDEXING_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
};
