import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/graph/document';
import { connect } from '../store/connect';
import { removeElements } from '../store/edits';
import { templateById } from '../templates';
import { checkOption, checkSome, connectableFirst, filterOptions, hasUnchecked, listConnectOptions, type ConnectOption } from './connectOptions';

const twoLayer = () => templateById('two-layer-net')!.build(new Date('2025-01-01T00:00:00Z'));
/** The template without the edge relu → pred.a: pred's input "a" is free. */
const unwired = (): GraphDocument => removeElements(twoLayer(), [], ['relu.y->pred.a']);
const full = (doc: GraphDocument, id: string) => listConnectOptions(doc, id).map((o) => checkOption(doc, o));
const byText = (options: readonly ConnectOption[], text: string) => options.find((o) => o.text === text);

describe('the ports a node can connect to', () => {
  it('lists both directions over every other node, never the node itself, in display names', () => {
    const doc = unwired();
    const options = listConnectOptions(doc, 'relu');
    // relu has one input and one output; the other seven nodes have 1 + 2 + 0 + 2 + 0 + 0 + 2 inputs
    // (x, w1, w2, y have none; h, pred, loss have two) and one output each.
    expect(options.filter((o) => o.direction === 'out')).toHaveLength(6);
    expect(options.filter((o) => o.direction === 'in')).toHaveLength(7);
    expect(
      options.every((o) => (o.direction === 'out' ? o.from.node === 'relu' && o.to.node !== 'relu' : o.to.node === 'relu' && o.from.node !== 'relu')),
    ).toBe(true);
    expect(options.map((o) => o.text)).toContain('relu.y → y_pred = h · w2.a');
    expect(options.map((o) => o.text)).toContain('h = x · w1.y → relu.x');
    expect(new Set(options.map((o) => o.key)).size).toBe(options.length);
  });

  it('gives each option exactly the verdict and reason that mouse wiring (connect) gives', () => {
    const doc = unwired();
    for (const id of doc.nodes.map((n) => n.id)) {
      for (const option of full(doc, id)) {
        const mouse = connect(doc, option.from, option.to);
        expect(option.refusal).toBe(mouse.ok ? undefined : mouse.reason);
      }
    }
  });

  it('offers the free input, and refuses the rest with reasons a person can act on', () => {
    const doc = unwired();
    const options = full(doc, 'relu');
    expect(byText(options, 'relu.y → y_pred = h · w2.a')?.refusal).toBeUndefined();
    expect(byText(options, 'relu.y → y_pred = h · w2.b')?.refusal).toMatch(/already taken by w2/);
    expect(byText(options, 'relu.y → h = x · w1.a')?.refusal).toMatch(/would make a cycle/);
    expect(byText(options, 'x.y → relu.x')?.refusal).toMatch(/already taken/);
    // loss.pred is fed by pred already.
    expect(byText(options, 'relu.y → loss.pred')?.refusal).toMatch(/already taken/);
  });

  it('refuses a wire that would break shapes downstream, with the shape message', () => {
    // w1 ([1000, 100]) into pred.a: pred = w1 · w2 is [1000, 10], which the loss rejects against y [64, 10].
    const doc = unwired();
    const option = byText(full(doc, 'pred'), 'w1.y → y_pred = h · w2.a');
    expect(option?.refusal).toMatch(/^Incompatible shapes: /);
  });

  it('shows the source port type, and nothing for a node that is not there', () => {
    const doc = unwired();
    expect(byText(listConnectOptions(doc, 'relu'), 'relu.y → y_pred = h · w2.a')?.type).toBe('[64, 100]');
    expect(listConnectOptions(doc, 'nope')).toEqual([]);
  });
});

describe('checking shapes in slices', () => {
  it('checks the requested options first, stops at the budget after one check, and keeps identity when done', () => {
    const doc = unwired();
    const listed = listConnectOptions(doc, 'relu');
    const unchecked = [...listed.keys()].filter((i) => listed[i].refusal === 'unchecked');
    expect(unchecked.length).toBeGreaterThan(0);
    const last = unchecked[unchecked.length - 1];
    let clock = 0;
    const once = checkSome(doc, listed, 1, [last], () => (clock += 5));
    expect(once[last].refusal).not.toBe('unchecked');
    expect(once.filter((o) => o.refusal === 'unchecked')).toHaveLength(unchecked.length - 1);
    const all = checkSome(doc, listed, Infinity);
    expect(hasUnchecked(all)).toBe(false);
    expect(checkSome(doc, all, Infinity)).toBe(all);
    expect(all).toEqual(full(doc, 'relu'));
  });
});

describe('filtering and grouping', () => {
  const doc = unwired();
  const options = full(doc, 'relu');

  it('matches every typed word, case-insensitively, against the text shown', () => {
    expect(filterOptions(options, '').length).toBe(options.length);
    expect(filterOptions(options, 'W2.A').map((o) => o.text)).toEqual(['relu.y → y_pred = h · w2.a']);
    expect(filterOptions(options, 'relu   loss').map((o) => o.text)).toEqual(['relu.y → loss.pred', 'relu.y → loss.target', 'loss.loss → relu.x']);
    expect(filterOptions(options, 'zzz')).toEqual([]);
  });

  it('puts what can connect first, keeping the listing order in each group', () => {
    const { open, refused } = connectableFirst(options);
    expect(open.map((o) => o.text)).toEqual(['relu.y → y_pred = h · w2.a']);
    expect(refused).toHaveLength(options.length - 1);
    expect(refused.map((o) => o.key)).toEqual(options.filter((o) => o.refusal !== undefined).map((o) => o.key));
  });
});
