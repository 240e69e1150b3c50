/** The benchmark's peer: an exported .onnx model in ONNX Runtime (onnxruntime-node, CPU) as a served model. */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { ModelRunner, NamedTensors, TensorSignature } from '../../cli/serve/runner';

/** Signatures as `wiregrad export --onnx` names them: inputs by field, outputs by node, batch dimension first. */
function signature(names: readonly string[], metadata: readonly ort.InferenceSession.ValueMetadata[]): TensorSignature[] {
  return names.map((name) => {
    const m = metadata.find((v) => v.name === name);
    if (!m || !m.isTensor) throw new Error(`ONNX value ${name} is not a tensor`);
    const dims = m.shape.slice(1).map((d) => (typeof d === 'number' ? d : NaN));
    if (dims.some((d) => !Number.isInteger(d))) throw new Error(`ONNX value ${name} has a dynamic dimension besides the batch: [${m.shape.join(', ')}]`);
    return { name, shape: dims, dtype: m.type === 'int32' ? 'i32' : 'f32' };
  });
}

export async function onnxRunner(path: string): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(path)));
  const inputs = signature(session.inputNames, session.inputMetadata);
  const outputs = signature(session.outputNames, session.outputMetadata);
  return {
    inputs,
    outputs,
    device: 'ONNX Runtime (CPU)',
    async run(given: NamedTensors, n: number): Promise<NamedTensors> {
      const feeds = Object.fromEntries(inputs.map((s) => [s.name, new ort.Tensor(s.dtype === 'i32' ? 'int32' : 'float32', given[s.name]!, [n, ...s.shape])]));
      const out = await session.run(feeds);
      return Object.fromEntries(outputs.map((s) => [s.name, out[s.name]!.data as Float32Array | Int32Array]));
    },
    dispose: () => void session.release(),
  };
}
