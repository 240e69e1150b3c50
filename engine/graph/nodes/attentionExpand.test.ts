/** Expanding a TransformerBlock (⊞) gives a valid document that computes what the block computes. */
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import { makeDoc } from '../../testing/docs';
import { validateDocument } from '../validate';
import { compositeWeightNames, expandComposite, expandedWeightNames, ExpandError } from './attentionExpand';

const [T, D] = [4, 6];
const blockDoc = () =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [T, D] }],
      ['blk', 'TransformerBlock', { heads: 2, keyDim: 3, ffnUnits: 10, causal: true }],
      ['head', 'Dense', { units: 3 }],
      ['t', 'Input', { field: 't', shape: [T, 3] }],
      ['loss', 'MSELoss'],
    ],
    ['x.y -> blk.x', 'blk.y -> head.x', 'head.y -> loss.pred', 't.y -> loss.target'],
    { batchSize: 2, optimizer: { type: 'sgd' }, lr: 0.1, seed: 4 },
  );

describe('expandComposite', () => {
  it('replaces a TransformerBlock by its seven parts, wired as a pre-LN layer, in a valid document', () => {
    const doc = expandComposite(blockDoc(), 'blk');
    expect(validateDocument(doc).errors).toEqual([]);
    expect(doc.nodes.map((n) => [n.id, n.type])).toEqual([
      ['x', 'Input'],
      ['blk_ln1', 'LayerNorm'],
      ['blk_attn', 'MultiHeadAttention'],
      ['blk_add1', 'Add'],
      ['blk_ln2', 'LayerNorm'],
      ['blk_ffn1', 'Dense'],
      ['blk_ffn2', 'Dense'],
      ['blk_add2', 'Add'],
      ['head', 'Dense'],
      ['t', 'Input'],
      ['loss', 'MSELoss'],
    ]);
    const wires = doc.edges.map((e) => `${e.from.node}.${e.from.port} -> ${e.to.node}.${e.to.port}`).sort();
    expect(wires).toEqual([
      'blk_add1.y -> blk_add2.inputs',
      'blk_add1.y -> blk_ln2.x',
      'blk_add2.y -> head.x',
      'blk_attn.y -> blk_add1.inputs',
      'blk_ffn1.y -> blk_ffn2.x',
      'blk_ffn2.y -> blk_add2.inputs',
      'blk_ln1.y -> blk_attn.q',
      'blk_ln2.y -> blk_ffn1.x',
      'head.y -> loss.pred',
      't.y -> loss.target',
      'x.y -> blk_add1.inputs',
      'x.y -> blk_ln1.x',
    ]);
    expect(doc.nodes.find((n) => n.id === 'blk_attn')!.params).toMatchObject({ heads: 2, keyDim: 3, causal: true, dropout: 0, useBias: true });
    expect(doc.nodes.find((n) => n.id === 'blk_ffn1')!.params).toMatchObject({ units: 10, activation: 'gelu', useBias: true });
    expect(doc.nodes.find((n) => n.id === 'blk_ffn2')!.params).toMatchObject({ units: D, activation: 'linear' });
    expect(new Set(doc.edges.map((e) => e.id)).size).toBe(doc.edges.length);
    // The parts sit in a row where the block was and the nodes after it move right: no two overlap (nodes are < 200 wide).
    const xs = doc.nodes
      .filter((n) => n.position.y === 0)
      .map((n) => n.position.x)
      .sort((a, b) => a - b);
    xs.slice(1).forEach((x, i) => expect(x - xs[i]!).toBeGreaterThanOrEqual(200));
  });

  it('the expanded document computes the same outputs and gradients with the renamed weights', async () => {
    const before = await Program.create(blockDoc(), new CpuBackend());
    const weights = await before.getWeights();
    const expanded = expandComposite(blockDoc(), 'blk');
    const renames = compositeWeightNames(blockDoc(), 'blk', Object.keys(weights));
    expect(renames.size).toBe(16);
    const after = await Program.create(expanded, new CpuBackend());
    const names = Object.keys(await after.getWeights());
    expect([...renames.values()].every((n) => names.includes(n))).toBe(true);
    after.setWeights(Object.fromEntries(Object.entries(weights).map(([k, v]) => [renames.get(k) ?? k, v])));
    const x = Float32Array.from({ length: 2 * T * D }, (_v, i) => Math.cos(i * 0.9));
    const t = Float32Array.from({ length: 2 * T * 3 }, (_v, i) => Math.sin(i));
    const lossBefore = await before.step({ x, t });
    const lossAfter = await after.step({ x, t });
    expect(lossAfter).toBeCloseTo(lossBefore, 6);
    const y1 = (await before.read('blk')).data;
    const y2 = (await after.read('blk_add2')).data;
    y1.forEach((v, i) => expect(y2[i]).toBeCloseTo(v, 5));
    const g1 = await before.readGradients();
    const g2 = await after.readGradients();
    for (const [from, to] of renames) g1[from]!.forEach((v, i) => expect(g2[to]![i], `${from} gradient`).toBeCloseTo(v, 5));
  });

  it('refuses a node that is not a composite, or a block whose input is not connected, naming it', () => {
    expect(() => expandComposite(blockDoc(), 'head')).toThrow(/node "head" \(Dense\) is not a composite node/);
    const loose = makeDoc([['blk', 'TransformerBlock']], []);
    expect(() => expandComposite(loose, 'blk')).toThrow(ExpandError);
    expect(() => expandComposite(loose, 'blk')).toThrow(/needs a connected input/);
  });

  it('picks fresh ids when the obvious ones are taken', () => {
    const doc = blockDoc();
    doc.nodes.push({ id: 'blk_ln1', type: 'Input', params: { field: 'z', shape: [1] }, position: { x: 0, y: 0 } });
    const out = expandComposite(doc, 'blk');
    expect(out.nodes.filter((n) => n.type === 'LayerNorm').map((n) => n.id)).toEqual(['blk_ln1_2', 'blk_ln2']);
  });

  it('a hot edit that expands the block while training carries its trained weights and Adam state to the parts (expandedWeightNames)', async () => {
    const adam = {
      ...blockDoc(),
      training: { ...blockDoc().training, optimizer: { type: 'adam' as const, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 } },
    };
    const backend = new CpuBackend();
    const before = await Program.create(adam, backend);
    const x = Float32Array.from({ length: 2 * T * D }, (_v, i) => Math.cos(i * 0.7));
    const t = Float32Array.from({ length: 2 * T * 3 }, (_v, i) => Math.sin(i * 1.3));
    for (let s = 0; s < 3; s++) await before.step({ x, t });
    const trained = await before.snapshot();
    const yBefore = (await before.forward({ x, t }, { nodes: ['head'] })).get('head')!['y']!.data;
    before.dispose();

    const expanded = expandComposite(adam, 'blk');
    const renamed = expandedWeightNames(adam, expanded, backend.variableNames());
    // 16 parameters, each with Adam's two slots; the other nodes keep their names.
    const params = [...renamed].filter(([from]) => !from.includes(':'));
    expect(params.length).toBe(16);
    expect(renamed.size).toBe(48);
    expect([...renamed.keys()].every((k) => k.startsWith('blk/'))).toBe(true);
    const after = await Program.create(expanded, backend, { carry: 'backend', renamed });
    after.stepCount = 3;
    // Every parameter and Adam slot was kept: the parts hold the block's trained values.
    expect(after.carried.initialised).toEqual([]);
    expect(after.carried.keptParams).toBe(after.carried.totalParams);
    const now = await after.snapshot();
    for (const [from, to] of params)
      for (const suffix of ['', ':m', ':v']) expect(now.values.get(to + suffix), to + suffix).toEqual(trained.values.get(from + suffix));
    // The same function: the head's output is unchanged by the expand.
    const yAfter = (await after.forward({ x, t }, { nodes: ['head'] })).get('head')!['y']!.data;
    yBefore.forEach((v, i) => expect(yAfter[i]).toBeCloseTo(v, 5));
    // Without the renames the parts would start afresh: their initial values differ from the trained ones.
    const fresh = await (await Program.create(expanded, new CpuBackend())).snapshot();
    for (const [, to] of params) if (to.endsWith('kernel')) expect(fresh.values.get(to), to).not.toEqual(now.values.get(to));
  });

  it('expandedWeightNames maps nothing when no composite node was expanded', () => {
    expect(expandedWeightNames(blockDoc(), blockDoc(), ['blk/ln1_gamma', 'head/kernel']).size).toBe(0);
  });
});
