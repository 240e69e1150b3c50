/** How the status bar states the memory estimate: "≈ 1.2 MB", and what it is made of. */
import { formatBytes, type MemoryEstimate } from '../../engine/graph/memory';

/** The short text and the breakdown a tooltip and screen readers get. */
export interface MemorySummary {
  /** "≈ 1.2 MB", or "≈ 1.2 MB + data" when the data's size is known only once loaded. */
  readonly text: string;
  /** "Memory to train: parameters 1.0 MB, gradients …". */
  readonly detail: string;
}

export function memorySummary(m: MemoryEstimate): MemorySummary {
  const parts: [string, number][] = [
    ['parameters', m.parameters],
    ['gradients', m.gradients],
    ['optimizer slots', m.optimizer],
    ['activations', m.activations],
  ];
  if (m.dataset) parts.push(['dataset', m.dataset.bytes]);
  const detail = `Memory to train: ${parts.map(([what, bytes]) => `${what} ${formatBytes(bytes)}`).join(', ')}${m.dataset ? '' : ', and the dataset once loaded'}`;
  return { text: `≈ ${formatBytes(m.total)}${m.dataset ? '' : ' + data'}`, detail };
}
