/**
 * Every exported model runs in ONNX Runtime (onnxruntime-node, CPU) on the same random inputs as
 * Wiregrad's CPU backend, and the outputs agree: each element within 1e-5 of Wiregrad's value,
 * relative to the larger of that value and the output's RMS (a floor, so that values near zero in
 * an output of large ones are compared at the output's scale, not their own).
 */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
// The templates are pure functions producing documents; this test exports every one of them.
import { NO_ONNX_YET, ONNX_TEMPLATES } from './noOnnxYet';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { GraphDocument } from '../../graph/document';
import { getNodeSpec, NODE_SPECS } from '../../graph/nodes';
import { validateDocument } from '../../graph/validate';
import { makeDoc, type NodeLine } from '../../testing/docs';
import { ExportError, exportOnnx, ONNX_NODE_TYPES, type OnnxExport } from './export';
import { decodeModel } from './proto';
import { attentionDoc, convStackDoc, RAW_OPS_OUTPUTS, rawOpsDoc, recurrentDoc, sequenceDoc } from './testCases';
import { seededRandom } from '../../testing/random';
import { randomInput, relativeError, setRandomWeights } from './testing';

/** A small seeded generator (mulberry32). */
const rng = seededRandom;

const TOLERANCE = 1e-5;

/**
 * Give every variable seeded random values (batch-norm variances positive, so running statistics
 * matter), export, run both, and compare every output. Returns the export for further checks.
 */
async function exportAndCompare(
  doc: GraphDocument,
  seed: number,
  batch = 3,
  options: { outputs?: string[]; intRange?: number; weightScale?: number } = {},
): Promise<OnnxExport> {
  const r = rng(seed);
  const program = await Program.create(doc, new CpuBackend());
  setRandomWeights(program, r, options.weightScale ?? 0.5);
  const exported = exportOnnx(doc, await program.getWeights(), options);

  const feeds: Record<string, ort.Tensor> = {};
  const batchData: Record<string, Float32Array | Int32Array> = {};
  for (const input of exported.inputs) {
    const shape = [batch, ...input.shape.slice(1)] as number[];
    const n = shape.reduce((a, d) => a * d, 1);
    const data = randomInput(r, input.dtype, n, options.intRange ?? 4);
    batchData[input.name] = data;
    feeds[input.name] = new ort.Tensor(input.dtype === 'i32' ? 'int32' : 'float32', data, shape);
  }
  // Wiregrad's batch is keyed by dataset field; the ONNX inputs are named after the fields.
  const wanted = await program.forward(
    Object.fromEntries(exported.inputs.map((i) => [doc.nodes.find((n) => n.id === i.node)!.params.field as string, batchData[i.name]!])),
  );
  const session = await ort.InferenceSession.create(exported.bytes);
  const results = await session.run(feeds);
  for (const out of exported.outputs) {
    const port = getNodeSpec(doc.nodes.find((n) => n.id === out.node)!.type)!.outputs[0]!.name;
    const want = wanted.get(out.node)![port]!;
    const got = results[out.name]!;
    expect(got.dims, `shape of ${out.node}`).toEqual(want.shape);
    const err = relativeError(got.data as ArrayLike<number>, want.data as ArrayLike<number>);
    expect(err, `${out.node}: relative error ${err}`).toBeLessThanOrEqual(TOLERANCE);
  }
  await session.release();
  program.dispose();
  return exported;
}

describe('ONNX export runs in ONNX Runtime and agrees with Wiregrad', () => {
  it.each(ONNX_TEMPLATES.map((t) => [t.id, t] as const))('template %s', async (_id, template) => {
    const doc = template.build(new Date('2026-01-01T00:00:00Z'));
    // A 64-step recurrence with N(0, 0.5²) weights (6× torch's U(±1/√128) init) is chaotic and
    // amplifies float32 rounding (4.8e-4 seen): run it with weights of its init's scale.
    const exported = await exportAndCompare(doc, 7, 4, template.id === 'lstm-lm' ? { weightScale: 0.05 } : {});
    // Losses, metrics and labels are not part of the inference graph.
    const model = decodeModel(exported.bytes);
    expect(model.opset_import.map((o) => [o.domain ?? '', o.version])).toEqual([['', 17]]);
    const ops = new Set(model.graph.node.map((n) => n.op_type));
    for (const node of doc.nodes) {
      const role = getNodeSpec(node.type)!.role;
      if (role === 'loss' || role === 'metric') expect(exported.outputs.map((o) => o.node)).not.toContain(node.id);
    }
    expect(exported.inputs.map((i) => i.name)).not.toContain('label');
    if (template.id === 'lenet') {
      expect([...ops].sort()).toEqual(['Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu', 'Transpose']);
      // One transpose into NCHW at the input and one back before Flatten.
      expect(model.graph.node.filter((n) => n.op_type === 'Transpose')).toHaveLength(2);
      expect(model.graph.initializer.find((t) => t.name === 'conv1.kernel')!.dims).toEqual([6, 1, 5, 5]);
    }
  });

  it('a convolutional stack with every layer that has a layout, and a residual sum in NCHW', async () => {
    const doc = convStackDoc();
    const exported = await exportAndCompare(doc, 11);
    const model = decodeModel(exported.bytes);
    expect(model.graph.node.filter((n) => n.op_type === 'Transpose')).toHaveLength(2);
    expect(model.graph.node.map((n) => n.op_type)).toEqual(
      expect.arrayContaining(['Conv', 'BatchNormalization', 'AveragePool', 'MaxPool', 'Softmax', 'Identity', 'Gemm']),
    );
  });

  it('vectors and sequences: Dense on rank 3 (MatMul + Add), LayerNorm, batch norm on other axes, embeddings, reshapes', async () => {
    const doc = sequenceDoc();
    const exported = await exportAndCompare(doc, 12, 3, { intRange: 7 });
    const ops = decodeModel(exported.bytes).graph.node.map((n) => n.op_type);
    expect(ops).toEqual(
      expect.arrayContaining(['Gather', 'LayerNormalization', 'MatMul', 'BatchNormalization', 'Reshape', 'LogSoftmax', 'Gemm', 'Softplus', 'Softmax']),
    );
  });

  it("recurrent layers as ONNX RNN, LSTM and GRU (PyTorch's gates reordered), Conv1D as Conv, pooling over time", async () => {
    const doc = recurrentDoc();
    const exported = await exportAndCompare(doc, 14, 3);
    const ops = decodeModel(exported.bytes).graph.node.map((n) => n.op_type);
    expect(ops).toEqual(expect.arrayContaining(['RNN', 'LSTM', 'GRU', 'Conv', 'ReduceMean', 'Squeeze', 'Gather']));
    expect(ops.filter((o) => o === 'LSTM')).toHaveLength(2);
  });

  it('attention: causal self-attention without biases, cross-attention, both positional embeddings, a TransformerBlock', async () => {
    const exported = await exportAndCompare(attentionDoc(), 15, 3, { intRange: 7 });
    const model = decodeModel(exported.bytes);
    const ops = model.graph.node.map((n) => n.op_type);
    expect(ops).toEqual(expect.arrayContaining(['MatMul', 'Softmax', 'Transpose', 'Reshape', 'Slice', 'LayerNormalization']));
    expect(ops.filter((o) => o === 'Softmax')).toHaveLength(3);
    expect(model.graph.initializer.find((t) => t.name === 'self/causal_mask')!.dims).toEqual([5, 5]);
    expect(model.graph.initializer.map((t) => t.name)).toEqual(expect.arrayContaining(['block.attn_query_kernel', 'block.ln1_gamma', 'block.ffn2_bias']));
  });

  it('raw ops: matmul with transposes, parameters, constants, reductions, comparisons, slicing and friends', async () => {
    const doc = rawOpsDoc();
    const exported = await exportAndCompare(doc, 13, 3, { outputs: RAW_OPS_OUTPUTS });
    expect(exported.outputs.map((o) => o.name)).toEqual(RAW_OPS_OUTPUTS);
  });

  it('random layer stacks', async () => {
    const acts = ['linear', 'relu', 'leaky_relu', 'elu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'softmax'];
    let made = 0;
    for (let seed = 100; made < 6; seed++) {
      const r = rng(seed);
      const h = 4 + r.int(6);
      const w = 4 + r.int(6);
      const ch = 1 + r.int(3);
      const nodes: NodeLine[] = [['image', 'Input', { field: 'x', shape: [h, w, ch] }]];
      const edges: string[] = [];
      let last = 'image';
      let channels = ch;
      const add = (id: string, type: string, params: Record<string, unknown>) => {
        nodes.push([id, type, params]);
        edges.push(`${last}.y -> ${id}.x`);
        last = id;
      };
      for (let i = 0; i < 2 + r.int(4); i++) {
        const kind = r.pick(['conv', 'conv', 'pool', 'bn', 'act', 'drop']);
        if (kind === 'conv') {
          const groups = r.pick([1, 1, channels]);
          const filters = groups * (1 + r.int(3));
          add(`conv${i}`, 'Conv2D', {
            filters,
            kernelSize: [1 + r.int(3), 1 + r.int(3)],
            strides: [1 + r.int(2), 1 + r.int(2)],
            padding: r.pick(['same', 'valid']),
            dilation: r.pick([1, 1, 2]),
            groups,
            activation: r.pick(acts),
          });
          channels = filters;
        } else if (kind === 'pool') add(`pool${i}`, r.pick(['MaxPool2D', 'AvgPool2D']), { poolSize: 1 + r.int(3), padding: r.pick(['same', 'valid']) });
        else if (kind === 'bn') add(`bn${i}`, 'BatchNorm', { epsilon: r.pick([1e-3, 0.1]) });
        else if (kind === 'act') add(`act${i}`, r.pick(['ReLU', 'Tanh', 'Sigmoid', 'GELU', 'ELU', 'Softplus']), {});
        else add(`drop${i}`, 'Dropout', { rate: 0.5 });
      }
      add('flat', 'Flatten', {});
      for (let i = 0; i < 1 + r.int(2); i++) add(`dense${i}`, 'Dense', { units: 1 + r.int(6), activation: r.pick(acts), useBias: r.next() < 0.8 });
      add('out', 'Dense', { units: 2 });
      nodes.push(['y', 'Input', { field: 'y', shape: [2] }], ['loss', 'MSELoss', {}]);
      edges.push('out.y -> loss.pred', 'y.y -> loss.target');
      const doc = makeDoc(nodes, edges, { dataset: { kind: 'random', inputShape: [h, w, ch], targetShape: [2] }, batchSize: 2 });
      if (validateDocument(doc).errors.length) continue; // a stack that shrank its image below a kernel
      await exportAndCompare(doc, seed, 2);
      made++;
    }
  });
});

describe('what cannot be exported', () => {
  const doc = makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [3] }],
      ['d', 'Dense', { units: 2 }],
      ['y', 'Input', { field: 'y', shape: [2] }],
      ['loss', 'MSELoss', {}],
    ],
    ['x.y -> d.x', 'd.y -> loss.pred', 'y.y -> loss.target'],
  );

  it('a loss asked for as an output is an ExportError naming it', () => {
    expect(() => exportOnnx(doc, { 'd/kernel': new Float32Array(6), 'd/bias': new Float32Array(2) }, { outputs: ['loss'] })).toThrow(
      /node "loss" \(MSELoss\) is part of training only/,
    );
  });

  it('missing or wrongly sized weights are ExportErrors naming the node', () => {
    const err = (() => {
      try {
        exportOnnx(doc, { 'd/kernel': new Float32Array(6) });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ExportError);
    expect((err as ExportError).node).toBe('d');
    expect((err as Error).message).toMatch(/node "d" \(Dense\): no weights for d\/bias/);
    expect(() => exportOnnx(doc, { 'd/kernel': new Float32Array(5), 'd/bias': new Float32Array(2) })).toThrow(
      /d\/kernel has 5 values but its shape \[3, 2\] holds 6/,
    );
  });

  it("MultiHeadAttention's attention-weights port has no ONNX form: an ExportError naming the node and port", () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [4, 6] }],
        ['mha', 'MultiHeadAttention', { heads: 2, keyDim: 3 }],
        ['probe', 'ReLU', {}],
      ],
      ['x.y -> mha.q', 'mha.attention -> probe.x'],
    );
    expect(() => exportOnnx(doc, {}, { outputs: ['probe'] })).toThrow(/node "mha" \(MultiHeadAttention\): its output attention has no ONNX form/);
  });

  it('only losses and metrics (and NO_ONNX_YET, empty now) lack an ONNX form today', () => {
    const without = Object.values(NODE_SPECS).filter((s) => !ONNX_NODE_TYPES.has(s.type) && !NO_ONNX_YET.has(s.type));
    expect(without.every((s) => s.role === 'loss' || s.role === 'metric')).toBe(true);
  });
});
