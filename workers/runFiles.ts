/**
 * What the open run can hand out as files or views: its weights as safetensors, the graph as ONNX
 * or as PyTorch code, one node's value or gradient summarised. Each reads the program it is given
 * and changes nothing.
 */
import { strToU8, zipSync } from 'fflate';
import type { Program } from '../engine/compile/program';
import type { GraphDocument } from '../engine/graph/document';
import { encodeWeights, exportOnnx, exportPyTorch } from '../engine/interchange';
import { downsample, histogram, tensorStats } from './stats';
import type { Inspection } from './types';

/** The trained parameters (and running statistics) as a safetensors file named by node (`dense1.kernel`). */
export async function weightsFile(program: Program, doc: GraphDocument): Promise<Uint8Array> {
  return encodeWeights(program.variables, await program.getWeights(), {
    metadata: { 'wiregrad.document': doc.meta.name, 'wiregrad.step': String(program.stepCount) },
  });
}

/** The graph's inference part as an ONNX model (opset 17) with the current weights. */
export async function onnxFile(program: Program, doc: GraphDocument): Promise<Uint8Array> {
  return exportOnnx(doc, await program.getWeights()).bytes;
}

/**
 * The graph as PyTorch code with its weights, zipped: model.py (an nn.Module named by node),
 * train.py (same loss, optimizer and schedule; single process or data-parallel) and weights.safetensors.
 */
export async function pytorchZip(program: Program, doc: GraphDocument): Promise<Uint8Array> {
  const { files } = exportPyTorch(doc, { readme: true });
  const entries: Record<string, Uint8Array> = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]));
  entries['weights.safetensors'] = await weightsFile(program, doc);
  return zipSync(entries, { level: 6, mtime: new Date('1980-01-01T00:00:00Z') });
}

/** A node's value or gradient at the current step, summarised for display. */
export async function inspectNode(
  program: Program,
  node: string,
  what: 'value' | 'grad',
  options: { bins?: number; maxValues?: number } = {},
): Promise<Inspection> {
  const { data, shape } = await program.read(node, what);
  const stats = tensorStats(data);
  return {
    node,
    what,
    step: program.stepCount,
    shape: [...shape],
    stats,
    histogram: histogram(data, options.bins ?? 30, stats),
    values: downsample(data, options.maxValues ?? 4096),
  };
}
