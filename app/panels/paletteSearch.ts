/** Palette search: which node types match what a person typed. */
import type { NodeSpec } from '../../engine/graph/spec';

/** Specs whose label, type or description contains every word of the query. */
export function matchSpecs(specs: readonly NodeSpec[], query: string): NodeSpec[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return specs.filter((s) => {
    const text = `${s.label} ${s.type} ${s.category} ${s.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
