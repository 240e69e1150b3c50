/**
 * PyTorch code export: model.py (the inference graph as an nn.Module that loads Wiregrad's
 * safetensors weights) and train.py (the same loss, optimizer, schedule and batch size, single
 * process or DistributedDataParallel). Pure text generation; a node or loss without a PyTorch
 * form is an ExportError naming it.
 */
import type { GraphDocument } from '../../graph/document';
import { modelPy, type ModelInfo } from './model';
import { trainPy } from './train';

export interface PyTorchExportOptions {
  /** Also write README.md, saying how to run the files (default true). */
  readonly readme?: boolean;
}

export interface PyTorchExport {
  /** File name → contents. */
  readonly files: { readonly 'model.py': string; readonly 'train.py': string; readonly 'README.md'?: string };
  /** The model's dataset inputs and outputs (node ids), as model.py's INPUTS and OUTPUTS. */
  readonly inputs: ModelInfo['inputs'];
  readonly outputs: ModelInfo['outputs'];
}

function readme(doc: GraphDocument, model: ModelInfo): string {
  return [
    `# ${doc.meta.name || 'Wiregrad model'} in PyTorch`,
    '',
    'Exported from Wiregrad. Needs PyTorch 1.13 or newer (and numpy, for .npz data); no other package.',
    '',
    "- `model.py`: `Model()`, an `nn.Module` whose attributes are the document's layers by node id;",
    `  \`forward(**inputs)\` takes the dataset fields ${model.inputs.map((i) => `\`${i.field}\``).join(', ')} (images NHWC, as in Wiregrad)`,
    `  and returns ${model.outputs.map((o) => `\`${o}\``).join(', ')}. \`load_wiregrad_weights(model, "weights.safetensors")\` loads the`,
    '  weights Wiregrad exports (Dense kernels are transposed, Conv2D kernels go from HWIO to OIHW).',
    "- `train.py`: the document's loss, optimizer, learning-rate schedule, batch size, run length and seed.",
    '  `python3 train.py --data data.npz --weights weights.safetensors` trains; `--ddp 2` runs data-parallel',
    '  on two CPU processes (gloo); under `torchrun` it reads RANK and WORLD_SIZE. The trained weights are',
    "  written back in Wiregrad's naming (`--out`).",
    '',
    "Known differences: data shuffling and dropout masks are PyTorch's, not Wiregrad's; without `--weights`,",
    "initial weights are PyTorch's own; data-parallel BatchNorm uses each process's share of the batch.",
    '',
  ].join('\n');
}

/** model.py, train.py and a README for the document. Throws ExportError naming a node without a PyTorch form. */
export function exportPyTorch(doc: GraphDocument, options: PyTorchExportOptions = {}): PyTorchExport {
  const model = modelPy(doc);
  const files = {
    'model.py': model.source,
    'train.py': trainPy(doc, model),
    ...(options.readme === false ? {} : { 'README.md': readme(doc, model) }),
  };
  return { files, inputs: model.inputs, outputs: model.outputs };
}
