// A generated document of `count` nodes for the editor benchmark (scripts/bench-app.mjs): an Input,
// then Dense and ReLU layers alternating in a chain laid out on a grid, then an MSE loss against a
// second Input. Valid, so the editor shows shapes rather than errors.

/** Grid spacing of the app's templates (engine/graph/templates/build.ts). */
const COLUMN = 260;
const ROW = 170;
const COLUMNS = 20;

/** @param {number} count total nodes (at least 3) @returns {object} a wiregrad.graph document */
export function bigGraph(count) {
  if (!(count >= 3)) throw new Error(`a generated graph needs at least 3 nodes, not ${count}`);
  const at = (i) => ({ x: (i % COLUMNS) * COLUMN, y: Math.floor(i / COLUMNS) * ROW });
  const nodes = [{ id: 'x', type: 'Input', params: { field: 'x', shape: [16], dtype: 'f32' }, position: at(0) }];
  const edges = [];
  let prev = 'x';
  for (let i = 1; i < count - 2; i++) {
    const id = `n${i}`;
    nodes.push(i % 2 ? { id, type: 'Dense', params: { units: 16 }, position: at(i) } : { id, type: 'ReLU', params: {}, position: at(i) });
    edges.push({ id: `e${i}`, from: { node: prev, port: 'y' }, to: { node: id, port: 'x' } });
    prev = id;
  }
  nodes.push({ id: 'y', type: 'Input', params: { field: 'y', shape: [16], dtype: 'f32' }, position: at(count - 2) });
  nodes.push({ id: 'loss', type: 'MSELoss', params: {}, position: at(count - 1) });
  edges.push({ id: 'e-pred', from: { node: prev, port: 'y' }, to: { node: 'loss', port: 'pred' } });
  edges.push({ id: 'e-target', from: { node: 'y', port: 'y' }, to: { node: 'loss', port: 'target' } });
  return {
    format: 'wiregrad.graph',
    version: 1,
    nodes,
    edges,
    training: { dataset: { kind: 'random', inputShape: [16], targetShape: [16], size: 64 }, optimizer: { type: 'adam' }, lr: 0.001, batchSize: 32 },
    meta: { name: `Generated ${count}-node chain` },
  };
}
