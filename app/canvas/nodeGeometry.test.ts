import { describe, expect, it } from 'vitest';
import { bigGraph as generated } from '../../bench/app/bigGraph.mjs';
import type { GraphDocument } from '../../engine/graph/document';
import { validate } from '../store/validation';
import { toFlowNodes, type GraphFlowNode, type ViewState } from './flowModel';
import { estimateGeometry } from './nodeGeometry';
import { documentBounds, LARGE_OPEN_ZOOM, largeGraphViewport } from './useFitRequests';

/** The editor benchmark's generated chain, as the document it is. */
const bigGraph = (n: number) => generated(n) as GraphDocument;

const view = (over: Partial<ViewState> = {}): ViewState => ({ selection: [], selectedEdges: [], dragPositions: {}, measured: {}, ...over });

describe('estimated node geometry', () => {
  const doc = bigGraph(300);
  const validation = validate(doc);
  const byId = new Map(toFlowNodes(doc, view(), validation).map((n) => [n.id, n]));

  // Measured in Chromium (React Flow's getHandleBounds on the mounted nodes of this graph at zoom 0.5 and 0.73):
  // the reference the CSS-derived estimate must reproduce. e2e/largegraph.spec.ts checks it on every mounted node.
  it.each([
    ['x', 'Input', 79, [['y', 210, 55.78]]],
    [
      'n1',
      'Dense',
      106,
      [
        ['x', -4, 55.78],
        ['y', 210, 55.78],
      ],
    ],
    [
      'n2',
      'ReLU',
      63,
      [
        ['x', -4, 39.84],
        ['y', 210, 39.84],
      ],
    ],
    [
      'loss',
      'MSELoss',
      85,
      [
        ['pred', -4, 39.84],
        ['target', -4, 61.84],
        ['loss', 210, 39.84],
      ],
    ],
  ] as const)('%s (%s) is 216 × %i px with its handles where Chromium put them', (id, _type, height, handles) => {
    const g = estimateGeometry(byId.get(id)!.data);
    expect(g.width).toBe(216);
    expect(g.height).toBe(height);
    expect(g.handles).toHaveLength(handles.length);
    for (const [name, x, y] of handles) {
      const h = g.handles.find((c) => c.id === name)!;
      expect(h).toMatchObject({ width: 10, height: 10 });
      expect(h.x).toBe(x);
      // Chromium lays the header out at a fraction of a pixel under 27: within a pixel.
      expect(Math.abs(h.y - y)).toBeLessThan(1);
    }
  });

  it('grows a node by its problems and keeps input and output handles on their own sides', () => {
    const data = byId.get('n2')!.data;
    const plain = estimateGeometry(data);
    const one = estimateGeometry({ ...data, problems: [{ message: 'Input "x" is not connected.', severity: 'warning' }] });
    const two = estimateGeometry({
      ...data,
      problems: [
        { message: 'a'.repeat(40), severity: 'error' },
        { message: 'b', severity: 'error' },
      ],
    });
    expect(one.height).toBeGreaterThan(plain.height);
    expect(two.height).toBeGreaterThan(one.height);
    expect(plain.handles.filter((h) => h.type === 'target').every((h) => h.x < 0 && h.position === 'left')).toBe(true);
    expect(plain.handles.filter((h) => h.type === 'source').every((h) => h.x > 200 && h.position === 'right')).toBe(true);
  });
});

describe('flow nodes of a large graph', () => {
  const doc = bigGraph(300);
  const validation = validate(doc);

  it('carry an estimated size, and handles only when new to the view, until the canvas measures them', () => {
    const first = toFlowNodes(doc, view(), validation, new Map(), undefined, true);
    for (const node of first) {
      const g = estimateGeometry(node.data);
      expect(node.measured).toEqual({ width: g.width, height: g.height });
      expect(node.handles).toEqual(g.handles);
    }
    // The next view of a moved node keeps the size but leaves the handles to React Flow (measured on mount).
    const previous = new Map<string, GraphFlowNode>(first.map((n) => [n.id, n]));
    const moved = toFlowNodes(doc, view({ dragPositions: { n5: { x: 1, y: 2 } } }), validation, previous, undefined, true);
    const n5 = moved.find((n) => n.id === 'n5')!;
    expect(n5).not.toBe(previous.get('n5'));
    expect(n5.handles).toBeUndefined();
    expect(n5.measured).toEqual(previous.get('n5')!.measured);
    expect(moved.find((n) => n.id === 'n6')).toBe(previous.get('n6'));
    // A measured node shows its real size.
    const measured = toFlowNodes(doc, view({ measured: { n7: { width: 216, height: 120 } } }), validation, new Map(), undefined, true);
    expect(measured.find((n) => n.id === 'n7')).toMatchObject({ measured: { width: 216, height: 120 } });
    expect(measured.find((n) => n.id === 'n7')!.handles).toBeUndefined();
  });

  it('leave a small graph to React Flow to measure', () => {
    for (const node of toFlowNodes(doc, view(), validation)) {
      expect(node.measured).toBeUndefined();
      expect(node.handles).toBeUndefined();
    }
  });

  it('are framed from their positions and sizes', () => {
    const small = bigGraph(3);
    const b = documentBounds(small, { x: { width: 216, height: 79 } });
    const xs = small.nodes.map((n) => n.position.x);
    const ys = small.nodes.map((n) => n.position.y);
    // Input at (0, 0) measured 79 high; the others unmeasured (80 high), 216 wide.
    expect(b).toEqual({
      x: Math.min(...xs),
      y: Math.min(...ys),
      width: Math.max(...xs) + 216 - Math.min(...xs),
      height: Math.max(...ys) + 80 - Math.min(...ys),
    });
  });
});

describe('a large graph opens', () => {
  // The canvas of the editor benchmark's 1600 × 900 window.
  const [width, height] = [1050, 780];
  const screen = (v: { x: number; y: number; zoom: number }, x: number, y: number) => ({ x: x * v.zoom + v.x, y: y * v.zoom + v.y });

  it('at a readable zoom, showing its start, when it does not fit whole', () => {
    const v = largeGraphViewport({ x: -40, y: 100, width: 6000, height: 4000 }, width, height);
    expect(v.zoom).toBe(LARGE_OPEN_ZOOM);
    // The top-left corner (the inputs of a laid-out graph) lies a margin (half the 15% padding) inside the canvas.
    const corner = screen(v, -40, 100);
    expect(corner.x).toBeCloseTo(width * 0.075);
    expect(corner.y).toBeCloseTo(height * 0.075);
  });

  it('centred on an axis it fits along', () => {
    // One long row: too wide to fit, short enough to centre vertically.
    const v = largeGraphViewport({ x: 0, y: 0, width: 20_000, height: 200 }, width, height);
    expect(v.zoom).toBe(LARGE_OPEN_ZOOM);
    expect(screen(v, 0, 0).x).toBeCloseTo(width * 0.075);
    expect(screen(v, 0, 100).y).toBeCloseTo(height / 2);
  });

  it('fitted whole (at most 100%) when it fits at that zoom or larger', () => {
    const v = largeGraphViewport({ x: 10, y: 20, width: 1000, height: 600 }, width, height);
    expect(v.zoom).toBeGreaterThan(LARGE_OPEN_ZOOM);
    expect(v.zoom).toBeLessThanOrEqual(1);
    const center = screen(v, 10 + 500, 20 + 300);
    // React Flow's fit (getViewportForBounds) rounds to whole pixels.
    expect(Math.abs(center.x - width / 2)).toBeLessThanOrEqual(1);
    expect(Math.abs(center.y - height / 2)).toBeLessThanOrEqual(1);
  });
});
