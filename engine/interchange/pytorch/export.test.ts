/**
 * The exported model.py and train.py run in PyTorch (Debian's python3-torch under /usr/bin/python3,
 * found or installed by scripts/python-torch.mjs; where there is none these tests are skipped and
 * say why) and agree with Wiregrad's CPU backend: forward outputs within 1e-4 (relative to the
 * output's scale), the first 5 training losses within 1e-4 relative, single-process and on two
 * DistributedDataParallel processes (gloo).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The templates are pure functions producing documents; this test exports one of them.
import { lenet } from '../../graph/templates/lenet';
import { findOrInstallPythonTorch } from '../../../scripts/python-torch.mjs';
import { CpuBackend } from '../../backends/cpu/backend';
import { Program } from '../../compile/program';
import type { GraphDocument } from '../../graph/document';
import { makeDoc } from '../../testing/docs';
import { ExportError } from '../onnx/export';
import { decodeTensor, readSafetensors, writeSafetensors, type TensorToWrite } from '../safetensors';
import { encodeWeights } from '../weights';
import { exportPyTorch } from './export';

const found = findOrInstallPythonTorch();
if (found.python === null) console.warn(`[pytorch export] skipped: ${found.reason}`);

/** A small seeded generator (mulberry32). */
const rng = seededRandom;

/** Input → Dense → Dense → logits, sparse softmax cross-entropy; SGD with momentum and L2, a step schedule. */
const mlpDoc = (): GraphDocument =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [6] }],
      ['hidden-1', 'Dense', { units: 8, activation: 'relu' }],
      ['hidden2', 'Dense', { units: 5, activation: 'tanh' }],
      ['logits', 'Dense', { units: 3 }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['loss', 'SoftmaxCrossEntropy', {}],
    ],
    ['x.y -> hidden-1.x', 'hidden-1.y -> hidden2.x', 'hidden2.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    {
      dataset: { kind: 'random', inputShape: [6], targetShape: [] },
      optimizer: { type: 'sgd', momentum: 0.9, weightDecay: 0.01 },
      lr: 0.1,
      schedule: { type: 'step', stepSize: 2, gamma: 0.5 },
      batchSize: 8,
    },
  );

/** Conv → BatchNorm (NHWC) → pooling with TensorFlow's odd 'same' padding → Flatten → Dense → BatchNorm → MSE; AdamW, cosine with warm-up. */
const batchNormDoc = (): GraphDocument =>
  makeDoc(
    [
      ['image', 'Input', { field: 'x', shape: [6, 5, 2] }],
      ['conv', 'Conv2D', { filters: 4, kernelSize: [3, 2], padding: 'same', activation: 'relu' }],
      ['bn', 'BatchNorm', { momentum: 0.9, epsilon: 0.01 }],
      ['max', 'MaxPool2D', { poolSize: 2, padding: 'same' }],
      ['avg', 'AvgPool2D', { poolSize: 2, strides: 1, padding: 'same' }],
      ['flat', 'Flatten', {}],
      ['dense', 'Dense', { units: 6, activation: 'gelu' }],
      ['bn_vec', 'BatchNorm', {}],
      ['out', 'Dense', { units: 2 }],
      ['y', 'Input', { field: 'y', shape: [2] }],
      ['loss', 'MSELoss', {}],
    ],
    [
      'image.y -> conv.x',
      'conv.y -> bn.x',
      'bn.y -> max.x',
      'max.y -> avg.x',
      'avg.y -> flat.x',
      'flat.y -> dense.x',
      'dense.y -> bn_vec.x',
      'bn_vec.y -> out.x',
      'out.y -> loss.pred',
      'y.y -> loss.target',
    ],
    {
      dataset: { kind: 'random', inputShape: [6, 5, 2], targetShape: [2] },
      optimizer: { type: 'adamw', weightDecay: 0.05 },
      lr: 0.01,
      schedule: { type: 'cosine', totalSteps: 4, minLr: 0.001, warmupSteps: 2 },
      batchSize: 6,
    },
  );

/** Conv1D (TensorFlow's odd 'same' step after) → LSTM → GRU without biases → RNN (relu, last step) and pooling over time → Dense → MSE; Adam. */
const recurrentDoc = (): GraphDocument =>
  makeDoc(
    [
      ['x', 'Input', { field: 'x', shape: [6, 3] }],
      ['conv', 'Conv1D', { filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }],
      ['lstm', 'LSTM', { units: 5 }],
      ['gru', 'GRU', { units: 4, useBias: false }],
      ['rnn', 'RNN', { units: 3, activation: 'relu', returnSequences: false }],
      ['grouped', 'Conv1D', { filters: 4, kernelSize: 2, dilation: 2, groups: 2, useBias: false }],
      ['pool', 'GlobalAveragePool1D', {}],
      ['cat', 'Concat', { axis: -1 }],
      ['out', 'Dense', { units: 2 }],
      ['y', 'Input', { field: 'y', shape: [2] }],
      ['loss', 'MSELoss', {}],
    ],
    [
      'x.y -> conv.x',
      'conv.y -> lstm.x',
      'lstm.y -> gru.x',
      'gru.y -> rnn.x',
      'gru.y -> grouped.x',
      'grouped.y -> pool.x',
      'rnn.y -> cat.inputs',
      'pool.y -> cat.inputs',
      'cat.y -> out.x',
      'out.y -> loss.pred',
      'y.y -> loss.target',
    ],
    { dataset: { kind: 'random', inputShape: [6, 3], targetShape: [2] }, optimizer: { type: 'adam' }, lr: 0.01, batchSize: 4 },
  );

const lenetDoc = (): GraphDocument => {
  const doc = lenet.build(new Date('2026-01-01T00:00:00Z'));
  return { ...doc, training: { ...doc.training, batchSize: 4, optimizer: { type: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, lr: 0.002 } };
};

const dir = mkdtempSync(join(tmpdir(), 'wiregrad-pytorch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Largest |got − want| / max(|want|, rms(want)). */
function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < want.length; i++) sq += want[i]! ** 2;
  const rms = Math.sqrt(sq / Math.max(want.length, 1)) || 1e-30;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(Math.abs(want[i]!), rms));
  return worst;
}

function python(cwd: string, args: string[]): string {
  const run = spawnSync(found.python!, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  expect(run.status, `${args.join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

/** A program with seeded random weights (batch-norm variances positive), and the export written to a fresh folder. */
async function prepare(name: string, doc: GraphDocument, seed: number) {
  const r = rng(seed);
  const program = await Program.create(doc, new CpuBackend());
  const weights: Record<string, Float32Array> = {};
  for (const v of program.variables) {
    if (v.name.includes(':')) continue;
    const n = v.shape.reduce((a, d) => a * d, 1);
    weights[v.name] = Float32Array.from({ length: n }, () => (v.name.endsWith('/moving_variance') ? 0.5 + r.next() : r.normal() * 0.5));
  }
  program.setWeights(weights);
  const out = join(dir, name);
  spawnSync('mkdir', ['-p', out]);
  const exported = exportPyTorch(doc);
  for (const [file, text] of Object.entries(exported.files)) writeFileSync(join(out, file), text);
  writeFileSync(join(out, 'weights.safetensors'), encodeWeights(program.variables, await program.getWeights()));
  return { program, out, exported, r };
}

/** A batch of every field the document's Input nodes read: normal floats, integer labels below `classes`. */
function batchOf(doc: GraphDocument, size: number, r: ReturnType<typeof rng>, classes = 3): Record<string, Float32Array | Int32Array> {
  const batch: Record<string, Float32Array | Int32Array> = {};
  for (const node of doc.nodes.filter((n) => n.type === 'Input')) {
    const shape = node.params.shape as number[];
    const n = size * shape.reduce((a, d) => a * d, 1);
    batch[node.params.field as string] =
      node.params.dtype === 'i32' ? Int32Array.from({ length: n }, () => r.int(classes)) : Float32Array.from({ length: n }, () => r.normal());
  }
  return batch;
}

function tensorsOf(doc: GraphDocument, batch: Record<string, Float32Array | Int32Array>, size: number, prefix = ''): Record<string, TensorToWrite> {
  const out: Record<string, TensorToWrite> = {};
  for (const node of doc.nodes.filter((n) => n.type === 'Input')) {
    const field = node.params.field as string;
    const data = batch[field]!;
    out[`${prefix}${field}`] = { dtype: data instanceof Int32Array ? 'I32' : 'F32', shape: [size, ...(node.params.shape as number[])], data };
  }
  return out;
}

const FORWARD = `
import sys, torch
from model import INPUTS, OUTPUTS, Model, load_wiregrad_weights, read_safetensors, write_safetensors
model = load_wiregrad_weights(Model(), "weights.safetensors").eval()
fields = read_safetensors("inputs.safetensors")
with torch.no_grad():
    outs = model(**{k: fields[k].float() if INPUTS[k] == "f32" else fields[k].long() for k in INPUTS})
outs = outs if len(OUTPUTS) > 1 else (outs,)
write_safetensors("outputs.safetensors", {name: out.float().contiguous() for name, out in zip(OUTPUTS, outs)})
`;
import { seededRandom } from '../../testing/random';

/** `build` with the Trainable switch off on `ids` (model.py sets requires_grad False there). */
const frozen = (build: () => GraphDocument, ids: readonly string[]) => (): GraphDocument => {
  const doc = build();
  return { ...doc, nodes: doc.nodes.map((n) => (ids.includes(n.id) ? { ...n, trainable: false } : n)) };
};

const CASES: [string, () => GraphDocument, number][] = [
  ['mlp', mlpDoc, 8],
  ['lenet', lenetDoc, 4],
  ['batchnorm', batchNormDoc, 6],
  // Frozen layers: SGD's weight decay must not reach them; a frozen BatchNorm's running statistics still move.
  ['mlp-frozen', frozen(mlpDoc, ['hidden-1']), 8],
  ['batchnorm-frozen', frozen(batchNormDoc, ['conv', 'bn']), 6],
  // torch.nn.LSTM/GRU/RNN and Conv1d load Wiregrad's weights one-to-one (recurrent ones unchanged).
  ['recurrent', recurrentDoc, 4],
];

describe.skipIf(!found.python)('PyTorch export (model.py, train.py) agrees with Wiregrad', () => {
  it.each(CASES)('%s: model.py forward on the exported weights equals Program.forward within 1e-4', async (name, build, size) => {
    const doc = build();
    const { program, out, exported, r } = await prepare(`${name}-forward`, doc, 11);
    const batch = batchOf(doc, size, r, name === 'lenet' ? 10 : 3);
    writeFileSync(join(out, 'inputs.safetensors'), writeSafetensors(tensorsOf(doc, batch, size)));
    python(out, ['-c', FORWARD]);
    const got = readSafetensors(new Uint8Array(readFileSync(join(out, 'outputs.safetensors'))));
    const want = await program.forward(batch);
    expect(exported.outputs.length).toBeGreaterThan(0);
    for (const node of exported.outputs) {
      const w = want.get(node)!.y!;
      const t = got.tensors.get(node)!;
      expect(t.shape, node).toEqual(w.shape);
      const err = relativeError(decodeTensor(t).data as Float32Array, w.data as Float32Array);
      expect(err, `${name} ${node}: relative error ${err}`).toBeLessThanOrEqual(1e-4);
    }
    program.dispose();
  });

  it.each(CASES)("%s: the first 5 train.py steps on exact batches give Wiregrad's losses within 1e-4", async (name, build, size) => {
    const doc = build();
    const { program, out, r } = await prepare(`${name}-train`, doc, 23);
    const tensors: Record<string, TensorToWrite> = {};
    const want: number[] = [];
    for (let step = 0; step < 5; step++) {
      const batch = batchOf(doc, size, r, name === 'lenet' ? 10 : 3);
      Object.assign(tensors, tensorsOf(doc, batch, size, `${step}.`));
      want.push(await program.step(batch));
    }
    writeFileSync(join(out, 'batches.safetensors'), writeSafetensors(tensors));
    const stdout = python(out, ['train.py', '--batches', 'batches.safetensors', '--weights', 'weights.safetensors', '--out', 'trained.safetensors']);
    const got = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { loss: number }).loss);
    console.log(
      `[pytorch export] ${name} losses: wiregrad ${want.map((x) => x.toPrecision(7)).join(' ')} | torch ${got.map((x) => x.toPrecision(7)).join(' ')}`,
    );
    expect(got).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-4);
    // The weights come back in Wiregrad's naming and layout, batch-norm running statistics included.
    const trained = readSafetensors(new Uint8Array(readFileSync(join(out, 'trained.safetensors'))));
    const weights = await program.getWeights();
    for (const [variable, values] of Object.entries(weights)) {
      const tensor = trained.tensors.get(variable.replace(/\/([^/]*)$/, '.$1'))!;
      const err = relativeError(decodeTensor(tensor).data as Float32Array, values);
      expect(err, `${variable} after 5 steps: ${err}`).toBeLessThanOrEqual(1e-3);
    }
    // Frozen parameters come back from PyTorch exactly as they went in (running statistics are not parameters).
    const initial = readSafetensors(new Uint8Array(readFileSync(join(out, 'weights.safetensors'))));
    const frozenParams = program.variables.filter((v) => v.frozen).map((v) => v.name.replace(/\/([^/]*)$/, '.$1'));
    expect(frozenParams.length > 0).toBe(name.endsWith('-frozen'));
    for (const tensor of frozenParams) expect(decodeTensor(trained.tensors.get(tensor)!).data, tensor).toEqual(decodeTensor(initial.tensors.get(tensor)!).data);
    program.dispose();
  });

  it('train.py --ddp 2 runs on two gloo processes and gives the single-process losses', async () => {
    const doc = mlpDoc();
    const { program, out, r } = await prepare('mlp-ddp', doc, 5);
    const tensors: Record<string, TensorToWrite> = {};
    const want: number[] = [];
    for (let step = 0; step < 5; step++) {
      const batch = batchOf(doc, 8, r);
      Object.assign(tensors, tensorsOf(doc, batch, 8, `${step}.`));
      want.push(await program.step(batch));
    }
    writeFileSync(join(out, 'batches.safetensors'), writeSafetensors(tensors));
    const stdout = python(out, [
      'train.py',
      '--ddp',
      '2',
      '--batches',
      'batches.safetensors',
      '--weights',
      'weights.safetensors',
      '--out',
      'trained.safetensors',
    ]);
    const got = stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { loss: number }).loss);
    console.log(`[pytorch export] ddp 2 losses: wiregrad ${want.map((x) => x.toPrecision(7)).join(' ')} | torch ${got.map((x) => x.toPrecision(7)).join(' ')}`);
    expect(got).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-4);
    program.dispose();
  }, 120_000);
});

/** Run train.py as torchrun would start rank `rank` of `world`: only the environment says so. */
function asTorchrunRank(
  cwd: string,
  rank: number,
  world: number,
  port: number,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = {
      ...process.env,
      RANK: String(rank),
      WORLD_SIZE: String(world),
      LOCAL_RANK: String(rank),
      LOCAL_WORLD_SIZE: String(world),
      MASTER_ADDR: '127.0.0.1',
      MASTER_PORT: String(port),
    };
    const child = spawn(found.python!, ['train.py', ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!found.python)('train.py under torchrun', () => {
  // This Debian build's torchrun fails on Python 3.11 (ENVIRONMENT.md), so the test starts the two
  // ranks itself with the environment torchrun gives them.
  it('two processes started with RANK/WORLD_SIZE train together and give the single-process losses', async () => {
    const doc = mlpDoc();
    const { program, out, r } = await prepare('mlp-torchrun', doc, 9);
    const tensors: Record<string, TensorToWrite> = {};
    const want: number[] = [];
    for (let step = 0; step < 3; step++) {
      const batch = batchOf(doc, 8, r);
      Object.assign(tensors, tensorsOf(doc, batch, 8, `${step}.`));
      want.push(await program.step(batch));
    }
    writeFileSync(join(out, 'batches.safetensors'), writeSafetensors(tensors));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const args = ['--batches', 'batches.safetensors', '--weights', 'weights.safetensors', '--out', 'trained.safetensors'];
    const [rank0, rank1] = await Promise.all([asTorchrunRank(out, 0, 2, port, args), asTorchrunRank(out, 1, 2, port, args)]);
    expect(rank0.code, rank0.stderr).toBe(0);
    expect(rank1.code, rank1.stderr).toBe(0);
    expect(rank1.stdout, 'only rank 0 prints').toBe('');
    const got = rank0.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { loss: number }).loss);
    expect(got).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(Math.abs(got[i]! - want[i]!) / Math.abs(want[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-4);
    program.dispose();
  }, 120_000);
});

describe('PyTorch export errors', () => {
  it('names a node without a PyTorch form', () => {
    const doc = makeDoc(
      [
        ['x', 'Input', { field: 'x', shape: [3] }],
        ['e', 'exp', {}],
        ['y', 'Input', { field: 'y', shape: [3] }],
        ['loss', 'MSELoss', {}],
      ],
      ['x.y -> e.x', 'e.y -> loss.pred', 'y.y -> loss.target'],
    );
    expect(() => exportPyTorch(doc)).toThrow(ExportError);
    try {
      exportPyTorch(doc);
    } catch (e) {
      expect((e as ExportError).node).toBe('e');
    }
  });

  it('writes the node-id mapping and sanitised attribute names', () => {
    const { files } = exportPyTorch(mlpDoc());
    expect(files['model.py']).toContain('#   hidden-1 -> hidden_1');
    expect(files['model.py']).toContain('self.hidden_1 = nn.Linear(6, 8, bias=True)');
    expect(files['model.py']).toContain('"hidden-1.kernel": ("hidden_1.weight", "transpose")');
    expect(files['train.py']).toContain('torch.optim.SGD(params, lr=0.1, momentum=0.9, nesterov=False, weight_decay=0.01)');
  });

  it("writes recurrent layers as torch.nn modules whose state_dict keys are Wiregrad's weight names", () => {
    const model = exportPyTorch(recurrentDoc()).files['model.py']!;
    expect(model).toContain('self.lstm = nn.LSTM(4, 5, batch_first=True, bias=True)');
    expect(model).toContain('self.rnn = nn.RNN(4, 3, batch_first=True, bias=True, nonlinearity="relu")');
    expect(model).toContain('"lstm.weight_ih": ("lstm.weight_ih_l0", "same")');
    expect(model).toContain('"gru.weight_hh": ("gru.weight_hh_l0", "same")');
    expect(model).not.toContain('gru.bias');
    expect(model).toContain('"conv.kernel": ("conv.weight", "kio_to_oik")');
  });
});
