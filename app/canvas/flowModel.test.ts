import { describe, expect, it } from 'vitest';
import { templateById } from '../templates';
import { createEditorStore } from '../store/editorStore';
import { validate } from '../store/validation';
import { toFlowEdges, toFlowNodes, type ViewState } from './flowModel';
import { summarizeParams } from './summary';

const view = (over: Partial<ViewState> = {}): ViewState => ({ selection: [], selectedEdges: [], dragPositions: {}, measured: {}, ...over });

describe('flow nodes derived from the document', () => {
  const doc = templateById('two-layer-net')!.build();
  const validation = validate(doc);

  it('carry titles, output shapes and parameter counts', () => {
    const nodes = toFlowNodes(doc, view(), validation);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    expect(nodes).toHaveLength(doc.nodes.length);
    expect(byId.get('h')?.data).toMatchObject({ title: 'h = x · w1', typeLabel: 'matmul', outputs: [{ name: 'y', type: '[64, 100]' }] });
    expect(byId.get('loss')?.data.outputs).toEqual([{ name: 'loss', type: '[]' }]);
    expect(byId.get('w1')?.data).toMatchObject({ params: '100,000 params', summary: '[1000, 100] · normal' });
    expect(byId.get('h')?.data.inputs.map((p) => p.name)).toEqual(['a', 'b']);
    expect(byId.get('loss')).toMatchObject({ type: 'graph', ariaLabel: 'loss', className: '' });
  });

  it('put each error on the node it names, and unknown shapes show "?"', () => {
    const broken = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'w2' ? { ...n, params: { ...n.params, shape: [99, 10] } } : n)) };
    const nodes = toFlowNodes(broken, view(), validate(broken));
    const pred = nodes.find((n) => n.id === 'pred')!;
    expect(pred.className).toBe('has-error');
    expect(pred.data.problems).toEqual([{ severity: 'error', message: expect.stringMatching(/99/) }]);
    expect(nodes.find((n) => n.id === 'loss')!.data.outputs[0].type).toBe('?');
  });

  it('mark unconnected inputs as warnings', () => {
    const store = createEditorStore();
    store.getState().addNode('Dense', { x: 0, y: 0 });
    const d = store.getState().doc;
    const [node] = toFlowNodes(d, view(), validate(d));
    expect(node.className).toBe('has-warning');
    expect(node.data.problems[0]).toMatchObject({ severity: 'warning', message: 'Input "x" is not connected.' });
  });

  it('show selection, live drag positions and measured sizes', () => {
    const nodes = toFlowNodes(
      doc,
      view({ selection: ['relu'], dragPositions: { relu: { x: 5, y: 6 } }, measured: { relu: { width: 200, height: 90 } } }),
      validation,
    );
    const relu = nodes.find((n) => n.id === 'relu')!;
    expect(relu).toMatchObject({ selected: true, position: { x: 5, y: 6 }, measured: { width: 200, height: 90 } });
  });

  it('keep the previous object for unchanged nodes', () => {
    const first = toFlowNodes(doc, view(), validation);
    const second = toFlowNodes(doc, view({ selection: ['x'] }), validate(doc), new Map(first.map((n) => [n.id, n])));
    expect(second.find((n) => n.id === 'relu')).toBe(first.find((n) => n.id === 'relu'));
    expect(second.find((n) => n.id === 'x')).not.toBe(first.find((n) => n.id === 'x'));
    expect(second.find((n) => n.id === 'x')!.data).toBe(first.find((n) => n.id === 'x')!.data);
  });

  it('edges name their ends and ports', () => {
    const edges = toFlowEdges(doc, view({ selectedEdges: ['x.y->h.a'] }), validation);
    expect(edges[0]).toMatchObject({
      source: 'x',
      sourceHandle: 'y',
      target: 'h',
      targetHandle: 'a',
      selected: true,
      ariaLabel: 'Edge from x (y) to h = x · w1 (a)',
    });
  });
});

describe('param summaries', () => {
  it('say what matters per node type', () => {
    expect(summarizeParams('Dense', { units: 256, activation: 'relu' })).toBe('256 units · relu');
    expect(summarizeParams('Dense', { units: 10, activation: 'linear' })).toBe('10 units');
    // Left out of the document: the default (linear), not "undefined".
    expect(summarizeParams('Dense', { units: 16 })).toBe('16 units');
    expect(summarizeParams('Conv2D', { filters: 8, kernelSize: 3 })).toBe('8 × 3×3 · valid');
    expect(summarizeParams('Conv2D', { filters: 6, kernelSize: [5, 5], strides: [1, 1], padding: 'same', activation: 'relu' })).toBe('6 × 5×5 · same · relu');
    expect(summarizeParams('Input', { field: 'x', shape: [784] })).toBe('field x');
    expect(summarizeParams('Softmax', { axis: -1 })).toBe('axis=-1');
  });
});
