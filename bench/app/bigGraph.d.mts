/** Types of bigGraph.mjs: a generated, valid document of `count` nodes (a Dense/ReLU chain on a grid). */
export function bigGraph(count: number): Record<string, unknown>;
