/**
 * From this many nodes React Flow mounts only the nodes and edges in view (its large-graph advice):
 * mounting thousands of nodes takes seconds and every one of them is measured and re-checked on each
 * store change. Below it every node stays in the DOM, so a small graph behaves as before. From the
 * same size the canvas gives React Flow estimated sizes for the nodes it has not measured
 * (nodeGeometry.ts), so that it need not mount them all once to measure them.
 */
export const RENDER_VISIBLE_ONLY_FROM = 200;

/** Whether a graph of `nodes` nodes is drawn as a large one. */
export const isLargeGraph = (nodes: number) => nodes >= RENDER_VISIBLE_ONLY_FROM;
