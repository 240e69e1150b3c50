/** The memory limits the editor checks graphs against: the worker's backend once it has reported one, else WebGPU's defaults. */
import { useMemo } from 'react';
import { DEFAULT_MEMORY_LIMITS, memoryLimitsFor, type MemoryLimits } from '../../engine/graph/memory';
import { useTraining } from '../training/TrainingContext';

export function useMemoryLimits(): MemoryLimits {
  const backend = useTraining((s) => s.backend);
  const kind = backend?.kind;
  const maxBuffer = backend?.limits?.maxBufferSize;
  const maxBinding = backend?.limits?.maxStorageBufferBindingSize;
  // Keyed on the values, not the report object: every compile sends a new one, and validation is cached per limits object.
  return useMemo(() => {
    if (kind === undefined) return DEFAULT_MEMORY_LIMITS;
    return memoryLimitsFor({
      kind,
      ...(maxBuffer !== undefined && maxBinding !== undefined && { limits: { maxBufferSize: maxBuffer, maxStorageBufferBindingSize: maxBinding } }),
    });
  }, [kind, maxBuffer, maxBinding]);
}
