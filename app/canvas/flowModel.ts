/**
 * React Flow's nodes and edges as a view of the document: derived from the document, the session
 * (selection, live drag positions, measured sizes) and the validation, never stored. Unchanged
 * nodes keep their previous object, so memoized node components do not re-render.
 */
import type { Edge, Node } from '@xyflow/react';
import type { DocNode, GraphDocument } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { COMPOSITE_TYPES } from '../../engine/graph/nodes/attentionExpand';
import type { Category } from '../../engine/graph/spec';
import { own, type XY } from '../store/edits';
import { displayName } from '../store/names';
import { messageOnNode, severityOf, type Severity, type Validation } from '../store/validation';
import { edgeStyle } from '../probes/edgeColour';
import { formatParamCount, formatType } from '../format/tensors';
import { estimateGeometry } from './nodeGeometry';
import { summarizeParams } from './summary';

/** One handle on a node. */
export interface PortView {
  readonly name: string;
  /** Output ports: the inferred type as text, "?" while unknown. */
  readonly type?: string;
  /** Input ports that take several edges. */
  readonly multiple?: boolean;
  readonly optional?: boolean;
}

/** A problem as shown on a node. */
export interface ProblemView {
  readonly message: string;
  readonly severity: Severity;
}

/** What the custom node component renders. */
export type GraphNodeData = {
  readonly title: string;
  readonly typeLabel: string;
  readonly category: Category | 'Unknown';
  readonly summary: string;
  readonly inputs: readonly PortView[];
  readonly outputs: readonly PortView[];
  /** "101,770 params", or empty. */
  readonly params: string;
  readonly problems: readonly ProblemView[];
  /** Set on the node where training first went non-finite: what to tell the user there. */
  readonly runtimeError?: string;
  /** A probe is open on this node. */
  readonly probed?: boolean;
  /** Layers and ops can be expanded to the ops they lower to. */
  readonly expandable?: boolean;
  /** A composite node (TransformerBlock) that can be replaced by its parts on the canvas. */
  readonly composite?: boolean;
  /** The node's Trainable switch is off and it owns parameters: they are not trained. */
  readonly frozen?: boolean;
};

export type GraphFlowNode = Node<GraphNodeData, 'graph'>;
export type GraphFlowEdge = Edge;

/** What training adds to the view: the node that went non-finite, open probes, gradient magnitudes. */
export interface RuntimeView {
  readonly failed?: { readonly node: string; readonly message: string };
  readonly probedNodes: ReadonlySet<string>;
  readonly probedEdges: ReadonlySet<string>;
  /** RMS gradient by edge source `${node}.${port}`, when edges are coloured by it. */
  readonly edgeRms?: Readonly<Record<string, number>>;
}

export const NO_RUNTIME: RuntimeView = { probedNodes: new Set(), probedEdges: new Set() };

/** What the view depends on besides the document. Records keyed by node id are read with own(). */
export interface ViewState {
  readonly selection: readonly string[];
  readonly selectedEdges: readonly string[];
  readonly dragPositions: Readonly<Record<string, XY>>;
  readonly measured: Readonly<Record<string, { width: number; height: number }>>;
}

function nodeData(node: DocNode, validation: Validation, runtime: RuntimeView): GraphNodeData {
  const spec = getNodeSpec(node.type);
  const info = validation.info.get(node.id);
  const problems = (validation.byNode.get(node.id) ?? []).map((e) => ({ message: messageOnNode(e, node), severity: severityOf(e) }));
  return {
    title: displayName(node),
    typeLabel: spec?.label ?? node.type,
    category: spec?.category ?? 'Unknown',
    summary: summarizeParams(node.type, node.params),
    inputs: (spec?.inputs ?? []).map((p) => ({ name: p.name, ...(p.multiple && { multiple: true }), ...(p.optional && { optional: true }) })),
    outputs: (spec?.outputs ?? []).map((p) => ({ name: p.name, type: info ? formatType(info.outputs[p.name]) : '?' })),
    params: info?.frozenParamCount ? `${formatParamCount(info.frozenParamCount)}, frozen` : formatParamCount(info?.paramCount ?? 0),
    problems,
    ...(runtime.failed?.node === node.id && { runtimeError: runtime.failed.message }),
    ...(runtime.probedNodes.has(node.id) && { probed: true }),
    ...(info?.frozenParamCount ? { frozen: true } : {}),
    ...((spec?.category === 'Layers' || spec?.category === 'Sequence' || spec?.category === 'Losses' || spec?.category === 'Activations') && {
      expandable: true,
    }),
    ...(COMPOSITE_TYPES.has(node.type) && { composite: true }),
  };
}

const sameData = (a: GraphNodeData, b: GraphNodeData) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The last data computed for each document node, with the validation and runtime it came from: while
 * a node is dragged only positions change, so the other nodes' data is reused rather than rebuilt.
 */
const dataCache = new WeakMap<DocNode, { readonly validation: Validation; readonly runtime: RuntimeView; readonly data: GraphNodeData }>();

function cachedNodeData(node: DocNode, validation: Validation, runtime: RuntimeView): GraphNodeData {
  const hit = dataCache.get(node);
  if (hit && hit.validation === validation && hit.runtime === runtime) return hit.data;
  const data = nodeData(node, validation, runtime);
  dataCache.set(node, { validation, runtime, data });
  return data;
}

/**
 * The canvas nodes; `previous` (the last result, by id) lets unchanged nodes keep their identity.
 * With `estimate` (a large graph, where only the nodes in view mount), a node the canvas has not
 * measured carries its estimated size, and when it is new to the view its estimated handles too
 * (nodeGeometry.ts): React Flow then need not mount it to measure it. Handles are given once, so
 * that the real ones React Flow measures when the node mounts are not replaced by the estimate.
 */
export function toFlowNodes(
  doc: GraphDocument,
  view: ViewState,
  validation: Validation,
  previous: ReadonlyMap<string, GraphFlowNode> = new Map(),
  runtime: RuntimeView = NO_RUNTIME,
  estimate = false,
): GraphFlowNode[] {
  const selected = new Set(view.selection);
  return doc.nodes.map((node) => {
    const data = cachedNodeData(node, validation, runtime);
    const position = own(view.dragPositions, node.id) ?? node.position;
    const prev = previous.get(node.id);
    let measured = own(view.measured, node.id);
    let handles: GraphFlowNode['handles'];
    if (estimate && measured === undefined) {
      const geometry = estimatedGeometry(data);
      measured = geometry.size;
      if (prev === undefined) handles = geometry.handles;
    }
    const isSelected = selected.has(node.id);
    const problem = data.runtimeError || data.problems.some((p) => p.severity === 'error') ? 'has-error' : data.problems.length > 0 ? 'has-warning' : '';
    const worst = [problem, data.runtimeError && 'has-runtime-error', data.probed && 'is-probed'].filter(Boolean).join(' ');
    if (
      prev !== undefined &&
      prev.position.x === position.x &&
      prev.position.y === position.y &&
      prev.selected === isSelected &&
      prev.measured?.width === measured?.width &&
      prev.measured?.height === measured?.height &&
      prev.className === worst &&
      sameData(prev.data, data)
    ) {
      return prev;
    }
    return {
      id: node.id,
      type: 'graph',
      position,
      data: prev !== undefined && sameData(prev.data, data) ? prev.data : data,
      selected: isSelected,
      className: worst,
      ariaLabel: data.title,
      ...(measured !== undefined && { measured }),
      ...(handles !== undefined && { handles }),
    };
  });
}

type Estimate = ReturnType<typeof estimateGeometry> & { readonly size: { readonly width: number; readonly height: number } };

/** The estimate for each node data object, computed once (data objects are reused while nothing changes, e.g. during a drag). */
const geometryCache = new WeakMap<GraphNodeData, Estimate>();

function estimatedGeometry(data: GraphNodeData): Estimate {
  let estimate = geometryCache.get(data);
  if (estimate === undefined) {
    const geometry = estimateGeometry(data);
    geometryCache.set(data, (estimate = { ...geometry, size: { width: geometry.width, height: geometry.height } }));
  }
  return estimate;
}

/**
 * The canvas edges, labelled for screen readers, red when an error names them; coloured and
 * labelled by the gradient flowing back along them when the runtime view has magnitudes.
 */
export function toFlowEdges(
  doc: GraphDocument,
  view: Pick<ViewState, 'selectedEdges'>,
  validation: Validation,
  runtime: RuntimeView = NO_RUNTIME,
): GraphFlowEdge[] {
  const selected = new Set(view.selectedEdges);
  const names = new Map(doc.nodes.map((n) => [n.id, displayName(n)]));
  return doc.edges.map((e) => {
    const problems = validation.byEdge.get(e.id) ?? [];
    const rms = own(runtime.edgeRms, `${e.from.node}.${e.from.port}`);
    const grad = rms === undefined ? undefined : edgeStyle(rms);
    const classes = [problems.length > 0 && 'has-error', runtime.probedEdges.has(e.id) && 'is-probed', grad && `grad-${grad.level}`].filter(Boolean).join(' ');
    return {
      id: e.id,
      source: e.from.node,
      sourceHandle: e.from.port,
      target: e.to.node,
      targetHandle: e.to.port,
      selected: selected.has(e.id),
      className: classes,
      ariaLabel: `Edge from ${names.get(e.from.node) ?? e.from.node} (${e.from.port}) to ${names.get(e.to.node) ?? e.to.node} (${e.to.port})${grad ? `, gradient ${grad.text}` : ''}`,
      ...(grad && {
        style: { stroke: grad.stroke, strokeWidth: grad.strokeWidth },
        label: `∇ ${grad.text}`,
        labelShowBg: true,
        labelBgPadding: [4, 2] as [number, number],
        labelBgBorderRadius: 4,
        labelStyle: { fontSize: 10, fontFamily: 'var(--font-mono)', fill: grad.stroke },
        labelBgStyle: { fill: 'var(--surface)', fillOpacity: 0.9 },
      }),
    };
  });
}
