/**
 * ONNX export of the attention layers as standard opset-17 ops: MultiHeadAttention → MatMul
 * projections, Reshape/Transpose into heads, MatMul of the scaled queries with the keys, Add of a
 * causal mask initializer, Softmax, MatMul with the values and the output projection (the same
 * arithmetic, in the same order, as engine/graph/nodes/attention.ts); PositionalEmbedding → Add of
 * its table (sliced to the sequence) or of the sinusoids; TransformerBlock → its parts' emitters, in
 * the order and with the variable names (`ln1_gamma`, `attn_query_kernel`) of blockParts. Only the
 * attention output `y` exports; the attention-weights port is refused by the graph walk.
 */
import { blockParts, TransformerBlockParams } from '../../graph/nodes/attentionBlock';
import { causalMask, sinusoidalPositions } from '../../graph/nodes/attention';
import { getNodeSpec } from '../../graph/nodes';
import { attrInt, attrInts, val, type Emitter, type NodeContext, type Val } from './exportGraph';

/** x · kernel + bias for the projection `name`. */
function project(c: NodeContext, x: string, name: string): string {
  const y = c.g.op('MatMul', [x, c.weight(`${name}_kernel`)]);
  return c.p.useBias ? c.g.op('Add', [y, c.weight(`${name}_bias`)]) : y;
}

/** [B, T, H·d] → [B, H, T, d]; the batch dimension is copied (0), so any batch size runs. */
function splitHeads(c: NodeContext, x: string, time: number): string {
  const shape = c.g.init(`${c.id}/heads_shape`, [4], 'i64', [0, time, c.p.heads, c.p.keyDim]);
  return c.g.op('Transpose', [c.g.op('Reshape', [x, shape])], [attrInts('perm', [0, 2, 1, 3])]);
}

const multiHeadAttention: Emitter = (c) => {
  const { g } = c;
  const qVal = c.one('q');
  const kvVal = c.many('kv')[0] ?? qVal;
  const q = g.nhwc(qVal);
  const kv = g.nhwc(kvVal);
  const tq = qVal.type.shape[1]!;
  const tk = kvVal.type.shape[1]!;
  const inner = c.p.heads * c.p.keyDim;
  const query = splitHeads(c, project(c, q, 'query'), tq);
  const key = splitHeads(c, project(c, kv, 'key'), tk);
  const value = splitHeads(c, project(c, kv, 'value'), tk);
  // Queries scaled before the product, as Wiregrad and PyTorch do.
  const scaled = g.op('Mul', [query, g.scalar('scale', 1 / Math.sqrt(c.p.keyDim))]);
  let scores = g.op('MatMul', [scaled, g.op('Transpose', [key], [attrInts('perm', [0, 1, 3, 2])])]);
  if (c.p.causal) scores = g.op('Add', [scores, g.init(`${c.id}/causal_mask`, [tq, tk], 'f32', causalMask(tq, tk))]);
  const weights = g.op('Softmax', [scores], [attrInt('axis', -1)]);
  const merged = g.op('Transpose', [g.op('MatMul', [weights, value])], [attrInts('perm', [0, 2, 1, 3])]);
  const heads = g.op('Reshape', [merged, g.init(`${c.id}/merge_shape`, [3], 'i64', [0, tq, inner])]);
  return val(c, project(c, heads, 'output'), 'nhwc');
};

const positionalEmbedding: Emitter = (c) => {
  const x = c.one('x');
  const [, t, d] = x.type.shape as [number, number, number];
  if (c.p.kind === 'sinusoidal') return val(c, c.g.op('Add', [c.g.nhwc(x), c.g.init(`${c.id}/positions`, [t, d], 'f32', sinusoidalPositions(t, d))]), 'nhwc');
  let table = c.weight('positions');
  if (t !== c.p.maxLength) {
    const init = (what: string, values: number[]) => c.g.init(`${c.id}/${what}`, [values.length], 'i64', values);
    table = c.g.op('Slice', [table, init('starts', [0]), init('ends', [t]), init('axes', [0])]);
  }
  return val(c, c.g.op('Add', [c.g.nhwc(x), table]), 'nhwc');
};

/** TransformerBlock: each part by its own emitter, its variables prefixed with the part's name. */
function transformerBlock(emitters: Readonly<Record<string, Emitter>>): Emitter {
  return (c) => {
    const p = TransformerBlockParams.parse(c.p);
    const x = c.one('x');
    const width = x.type.shape[2]!;
    const values = new Map<string, Val>([['x', x]]);
    let last = x;
    for (const part of blockParts(p, width)) {
      const shape = part.part === 'ffn1' ? [...c.out.shape.slice(0, -1), p.ffnUnits] : c.out.shape;
      const partContext: NodeContext = {
        ...c,
        p: getNodeSpec(part.type)!.params.parse(part.params),
        out: { ...c.out, shape },
        one: (port) => values.get(part.inputs[port]![0]!)!,
        many: (port) => (part.inputs[port] ?? []).map((f) => values.get(f)!),
        weight: (name, transform) => c.weight(`${part.part}_${name}`, transform),
        weightShape: (name) => c.weightShape(`${part.part}_${name}`),
      };
      last = emitters[part.type]!(partContext);
      values.set(part.part, last);
    }
    return last;
  };
}

/** The attention emitters; TransformerBlock's parts are emitted by `emitters` (the layers' table). */
export function attentionEmitters(emitters: Readonly<Record<string, Emitter>>): Readonly<Record<string, Emitter>> {
  const all: Record<string, Emitter> = { ...emitters, MultiHeadAttention: multiHeadAttention };
  return { MultiHeadAttention: multiHeadAttention, PositionalEmbedding: positionalEmbedding, TransformerBlock: transformerBlock(all) };
}
