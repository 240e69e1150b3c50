import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../backends/cpu/backend';
import { Program } from '../compile/program';
import { makeDoc } from '../testing/docs';
import { readSafetensors } from './safetensors';
import { encodeWeights, matchedValues, matchWeights, tensorNameOf } from './weights';

const cnn = (units = 4, seed = 1) =>
  makeDoc(
    [
      ['image', 'Input', { field: 'x', shape: [6, 6, 2] }],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['conv1', 'Conv2D', { filters: 3, kernelSize: 3, activation: 'relu' }],
      ['bn', 'BatchNorm', {}],
      ['flat', 'Flatten', {}],
      ['dense1', 'Dense', { units }],
      ['loss', 'SoftmaxCrossEntropy', {}],
    ],
    ['image.y -> conv1.x', 'conv1.y -> bn.x', 'bn.y -> flat.x', 'flat.y -> dense1.x', 'dense1.y -> loss.pred', 'label.y -> loss.target'],
    { dataset: { kind: 'random', inputShape: [6, 6, 2], targetShape: [] }, optimizer: { type: 'adam' }, batchSize: 4, seed },
  );

const batch = { x: Float32Array.from({ length: 4 * 72 }, (_v, i) => Math.sin(i * 0.37)), label: new Int32Array([0, 1, 2, 3]) };

describe('tensor names', () => {
  it('are node id and variable name joined by a dot; optimizer state adds the optimizer and slot', () => {
    expect(tensorNameOf('dense1/kernel')).toBe('dense1.kernel');
    expect(tensorNameOf('bn/moving_mean')).toBe('bn.moving_mean');
    expect(tensorNameOf('dense1/kernel:m', 'adam')).toBe('dense1.kernel.adam_m');
    expect(tensorNameOf('block/a/kernel')).toBe('block/a.kernel');
    expect(() => tensorNameOf('dense1/kernel:m')).toThrow(/needs the optimizer's name/);
  });
});

describe('weights through safetensors', () => {
  it("a trained program's weights load into a fresh program of the same document, which then predicts the same", async () => {
    const trained = await Program.create(cnn(), new CpuBackend());
    for (let i = 0; i < 3; i++) await trained.step(batch);
    const file = readSafetensors(encodeWeights(trained.variables, await trained.getWeights()));
    expect([...file.tensors.keys()].sort()).toEqual([
      'bn.beta',
      'bn.gamma',
      'bn.moving_mean',
      'bn.moving_variance',
      'conv1.bias',
      'conv1.kernel',
      'dense1.bias',
      'dense1.kernel',
    ]);
    expect(file.tensors.get('conv1.kernel')!.shape).toEqual([3, 3, 2, 3]);
    expect(file.metadata.get('format')).toBe('wiregrad');

    const fresh = await Program.create(cnn(4, 99), new CpuBackend());
    const match = matchWeights(fresh.variables, file);
    expect(match.missing).toEqual([]);
    expect(match.unexpected).toEqual([]);
    expect(match.shapeMismatches).toEqual([]);
    expect(match.matched).toHaveLength(8);
    const before = (await fresh.forward(batch)).get('dense1')!.y!.data;
    fresh.setWeights(matchedValues(file, match));
    const want = (await trained.forward(batch)).get('dense1')!.y!.data;
    const got = (await fresh.forward(batch)).get('dense1')!.y!.data;
    expect([...got]).toEqual([...want]);
    expect([...before]).not.toEqual([...want]);
  });

  it('reports what is missing, unexpected or shaped differently, naming the node', async () => {
    const program = await Program.create(cnn(4), new CpuBackend());
    const weights = await program.getWeights();
    delete weights['bn/gamma'];
    const file = readSafetensors(encodeWeights(program.variables, weights, { metadata: { note: 'x' } }));
    const other = await Program.create(
      makeDoc(
        [
          ['image', 'Input', { field: 'x', shape: [6, 6, 2] }],
          ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
          ['conv1', 'Conv2D', { filters: 3, kernelSize: 3, activation: 'relu' }],
          ['bn', 'BatchNorm', {}],
          ['flat', 'Flatten', {}],
          ['dense1', 'Dense', { units: 5 }],
          ['loss', 'SoftmaxCrossEntropy', {}],
        ],
        ['image.y -> conv1.x', 'conv1.y -> bn.x', 'bn.y -> flat.x', 'flat.y -> dense1.x', 'dense1.y -> loss.pred', 'label.y -> loss.target'],
        { dataset: { kind: 'random', inputShape: [6, 6, 2], targetShape: [] }, batchSize: 4 },
      ),
      new CpuBackend(),
    );
    const match = matchWeights(other.variables, file);
    expect(match.missing.map((p) => p.message)).toEqual(['node "bn": the file has no tensor "bn.gamma" for bn/gamma [3]']);
    expect(match.shapeMismatches.map((p) => [p.node, p.message])).toEqual([
      ['dense1', 'node "dense1": tensor "dense1.kernel" is [48, 4] but dense1/kernel is [48, 5]'],
      ['dense1', 'node "dense1": tensor "dense1.bias" is [4] but dense1/bias is [5]'],
    ]);
    expect(match.unexpected).toEqual([]);
    expect(match.matched.map((m) => m.tensor).sort()).toEqual(['bn.beta', 'bn.moving_mean', 'bn.moving_variance', 'conv1.bias', 'conv1.kernel']);

    const smaller = matchWeights(
      other.variables.filter((v) => v.node !== 'conv1'),
      file,
    );
    expect(smaller.unexpected.map((p) => p.message)).toEqual([
      'tensor "conv1.bias" matches no variable of this graph',
      'tensor "conv1.kernel" matches no variable of this graph',
    ]);
  });

  it('optimizer state rides along under <tensor>.<optimizer>_<slot>, with the optimizer and step in the metadata', async () => {
    const program = await Program.create(cnn(), new CpuBackend());
    const kernel = program.variables.find((v) => v.name === 'dense1/kernel')!;
    const n = kernel.shape.reduce((a, d) => a * d, 1);
    const m = Float32Array.from({ length: n }, (_v, i) => i / n);
    const bytes = encodeWeights(program.variables, await program.getWeights(), { optimizer: { type: 'adam', step: 12, slots: { 'dense1/kernel:m': m } } });
    const file = readSafetensors(bytes);
    expect(file.tensors.get('dense1.kernel.adam_m')!.shape).toEqual(kernel.shape);
    expect(file.metadata.get('wiregrad.optimizer')).toBe('adam');
    expect(file.metadata.get('wiregrad.step')).toBe('12');
    const specs = [...program.variables, { name: 'dense1/kernel:m', node: 'dense1', shape: kernel.shape }];
    const match = matchWeights(specs, file);
    expect(match.missing).toEqual([]);
    expect(match.unexpected).toEqual([]);
    expect([...matchedValues(file, match)['dense1/kernel:m']!]).toEqual([...m]);
    // A reader without the slot specs sees the state as unexpected tensors, by name.
    expect(matchWeights(program.variables, file).unexpected.map((p) => p.tensor)).toEqual(['dense1.kernel.adam_m']);
    expect(() => encodeWeights(program.variables, {}, { optimizer: { type: 'adam', step: 1, slots: { 'nope/kernel:m': m } } })).toThrow(
      /belongs to no variable/,
    );
  });

  it('refuses values that do not fit their variable', async () => {
    const program = await Program.create(cnn(), new CpuBackend());
    expect(() => encodeWeights(program.variables, { 'dense1/bias': new Float32Array(3) })).toThrow(/dense1\/bias has 3 values but its shape \[4\] holds 4/);
    expect(() => encodeWeights(program.variables, { 'ghost/w': new Float32Array(3) })).toThrow(/no variable named ghost\/w/);
  });
});
