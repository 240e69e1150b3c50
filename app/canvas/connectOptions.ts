/**
 * What the keyboard's Connect list offers for one node: every wire between one of its ports and a port
 * of another node, in both directions, each with the refusal mouse wiring would give (connect()).
 * Pure, so it is tested without React. The structural checks are cheap and run for every option; the
 * shape check (a validation of the candidate document each) runs per option, in slices, by the caller.
 */
import type { GraphDocument, PortRef } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { connect } from '../store/connect';
import { addEdgeChecked } from '../store/edits';
import { displayName } from '../store/names';
import { validationOf } from '../store/validation';
import { formatType } from '../format/tensors';

/** One wire the Connect list can make. */
export interface ConnectOption {
  /** Unique within one listing (ids may contain any character, so it is JSON). */
  readonly key: string;
  /** 'out': this node's output feeds another node; 'in': another node feeds this node's input. */
  readonly direction: 'out' | 'in';
  readonly from: PortRef;
  readonly to: PortRef;
  /** The display names of the two nodes. */
  readonly fromName: string;
  readonly toName: string;
  /** "Dense 1.y → ReLU 1.x", in display names: what the list shows and what typing filters. */
  readonly text: string;
  /** The source port's inferred type ("[32, 10]"), "?" while unknown. */
  readonly type: string;
  /**
   * Undefined: connect() accepts it. A sentence: connect()'s refusal. 'unchecked': the structure is
   * fine but the shape check has not run yet (see checkOption).
   */
  readonly refusal?: string | 'unchecked';
}

const optionKey = (from: PortRef, to: PortRef) => JSON.stringify([from.node, from.port, to.node, to.port]);

/**
 * Every wire between `nodeId`'s ports and other nodes' ports, outputs first, then inputs, other nodes
 * in document order. Structural refusals are filled in; options that pass them are 'unchecked'.
 */
export function listConnectOptions(doc: GraphDocument, nodeId: string): ConnectOption[] {
  const self = doc.nodes.find((n) => n.id === nodeId);
  const selfSpec = self && getNodeSpec(self.type);
  if (self === undefined || selfSpec === undefined) return [];
  const info = validationOf(doc).info;
  const names = new Map(doc.nodes.map((n) => [n.id, displayName(n)]));
  const option = (direction: ConnectOption['direction'], from: PortRef, to: PortRef): ConnectOption => {
    const structural = addEdgeChecked(doc, from, to);
    const fromName = names.get(from.node) ?? from.node;
    const toName = names.get(to.node) ?? to.node;
    return {
      key: optionKey(from, to),
      direction,
      from,
      to,
      fromName,
      toName,
      text: `${fromName}.${from.port} → ${toName}.${to.port}`,
      type: formatType(info.get(from.node)?.outputs[from.port]),
      refusal: structural.ok ? 'unchecked' : structural.reason,
    };
  };
  const others = doc.nodes.filter((n) => n.id !== nodeId).map((n) => ({ node: n, spec: getNodeSpec(n.type) }));
  const options: ConnectOption[] = [];
  for (const out of selfSpec.outputs) {
    for (const { node, spec } of others) {
      for (const input of spec?.inputs ?? []) options.push(option('out', { node: nodeId, port: out.name }, { node: node.id, port: input.name }));
    }
  }
  for (const input of selfSpec.inputs) {
    for (const { node, spec } of others) {
      for (const out of spec?.outputs ?? []) options.push(option('in', { node: node.id, port: out.name }, { node: nodeId, port: input.name }));
    }
  }
  return options;
}

/** The option with connect()'s full verdict (the shape check included); others are returned as they are. */
export function checkOption(doc: GraphDocument, option: ConnectOption): ConnectOption {
  if (option.refusal !== 'unchecked') return option;
  const result = connect(doc, option.from, option.to);
  const { refusal: _unchecked, ...rest } = option;
  return result.ok ? rest : { ...rest, refusal: result.reason };
}

/**
 * Runs checkOption over `options` until `budgetMs` has passed (at least one check when any is due),
 * checking the indices in `first` before the rest. Returns the same array when nothing changed.
 */
export function checkSome(
  doc: GraphDocument,
  options: readonly ConnectOption[],
  budgetMs: number,
  first: Iterable<number> = [],
  now: () => number = () => performance.now(),
): readonly ConnectOption[] {
  const start = now();
  let next: ConnectOption[] | undefined;
  const order = [...first, ...options.keys()];
  for (const i of order) {
    const current = (next ?? options)[i];
    if (current === undefined || current.refusal !== 'unchecked') continue;
    if (next !== undefined && now() - start >= budgetMs) break;
    next ??= [...options];
    next[i] = checkOption(doc, current);
  }
  return next ?? options;
}

/** Whether any option still waits for its shape check. */
export const hasUnchecked = (options: readonly ConnectOption[]) => options.some((o) => o.refusal === 'unchecked');

/**
 * The options whose text contains every word of `query` (case-insensitive), in their order. Words match
 * the text as shown, so "dense relu" finds "Dense 1.y → ReLU 1.x".
 */
export function filterOptions(options: readonly ConnectOption[], query: string): readonly ConnectOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return options;
  return options.filter((o) => {
    const text = o.text.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Connectable (and not yet checked) options first, refused ones after, each group in listing order. */
export function connectableFirst(options: readonly ConnectOption[]): { open: ConnectOption[]; refused: ConnectOption[] } {
  const open: ConnectOption[] = [];
  const refused: ConnectOption[] = [];
  for (const o of options) (o.refusal === undefined || o.refusal === 'unchecked' ? open : refused).push(o);
  return { open, refused };
}
