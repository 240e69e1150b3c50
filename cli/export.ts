/**
 * `wiregrad export`: a document and its trained weights (safetensors, as `train` writes them) as an
 * ONNX model (engine/interchange/onnx) and/or PyTorch code (engine/interchange/pytorch: model.py,
 * train.py and the weights, in a folder). Weights are matched to the graph's variables by name and shape.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExportError, exportOnnx } from '../engine/interchange/onnx/export';
import { exportPyTorch } from '../engine/interchange/pytorch/export';
import { readSafetensors, SafetensorsError } from '../engine/interchange/safetensors';
import { matchedValues, matchWeights } from '../engine/interchange/weights';
import { InputError, readDocument } from './document';
import { EXIT } from './exitCodes';
import type { CliIo } from './train';
import { variableSpecs } from './weights';

export interface ExportOptions {
  readonly doc: string;
  readonly weights: string;
  readonly onnx?: string;
  readonly pytorch?: string;
}

export async function exportModel(opts: ExportOptions, io: Pick<CliIo, 'stderr'>): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  try {
    if (opts.onnx === undefined && opts.pytorch === undefined) throw new InputError('say where the model goes: --onnx out.onnx and/or --pytorch folder');
    const doc = readDocument(opts.doc, { requireLoss: false });
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(readFileSync(opts.weights));
    } catch (e) {
      throw new InputError(
        (e as { code?: string }).code === 'ENOENT'
          ? `cannot read --weights ${opts.weights}: no such file`
          : `cannot read --weights ${opts.weights}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const file = readSafetensors(bytes);
    const match = matchWeights(variableSpecs(doc), file);
    const problems = [...match.missing, ...match.shapeMismatches, ...match.typeMismatches].map((p) => `  ${p.message}`);
    if (problems.length) throw new InputError(`${opts.weights} does not fit ${opts.doc}:`, problems);
    if (opts.onnx !== undefined) {
      const onnx = exportOnnx(doc, matchedValues(file, match), { producerVersion: '0.1.0' });
      writeFileSync(opts.onnx, onnx.bytes);
      const sig = (vs: typeof onnx.inputs) => vs.map((v) => `${v.name} [${v.shape.map((d) => d ?? 'batch').join(', ')}] ${v.dtype}`).join(', ');
      say(`wiregrad export: wrote ${opts.onnx} (inputs ${sig(onnx.inputs)}; outputs ${sig(onnx.outputs)})`);
    }
    if (opts.pytorch !== undefined) {
      const { files } = exportPyTorch(doc, { readme: true });
      mkdirSync(opts.pytorch, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(opts.pytorch, name), text);
      copyFileSync(opts.weights, join(opts.pytorch, 'weights.safetensors'));
      say(
        `wiregrad export: wrote ${Object.keys(files).join(', ')} and weights.safetensors into ${opts.pytorch} (python3 ${join(opts.pytorch, 'train.py')} --help)`,
      );
    }
    return EXIT.ok;
  } catch (e) {
    if (e instanceof InputError) say([`wiregrad export: ${e.message}`, ...e.lines].join('\n'));
    else if (e instanceof ExportError) say(`wiregrad export: ${e.message}${e.node ? ` (node "${e.node}")` : ''}`);
    else if (e instanceof SafetensorsError) say(`wiregrad export: ${opts.weights} is not a readable safetensors file: ${e.message}`);
    else {
      say(`wiregrad export: ${e instanceof Error ? e.message : String(e)}`);
      return EXIT.trainingError;
    }
    return EXIT.badInput;
  }
}
