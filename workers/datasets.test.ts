import { describe, expect, it } from 'vitest';
import { CompileError } from '../engine/compile/program';
import { TrainingConfig } from '../engine/graph/training';
import { makeDoc } from '../engine/testing/docs';
import { DatasetLoader } from './datasets';
import { memoryUploadStore } from './uploads';

const bytes = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
/** A stand-in decoder: "img:r,g,b" is a 2×2 image of that colour; anything else is unreadable. */
const decodeImage = async (b: ArrayBuffer) => {
  const s = new TextDecoder().decode(b);
  if (!s.startsWith('img:')) throw new Error('bad header');
  const [r, g, bl] = s.slice(4).split(',').map(Number);
  return { width: 2, height: 2, rgba: Uint8Array.from({ length: 16 }, (_v, i) => [r!, g!, bl!, 255][i % 4]!) };
};
const loader = () => new DatasetLoader({ fetchAsset: () => Promise.reject(new Error('offline')), uploads: memoryUploadStore(), decodeImage });
const training = (dataset: unknown, extra: object = {}) => TrainingConfig.parse({ dataset, validationSplit: 0.25, seed: 1, ...extra });

function classifier(dataset: unknown, x: Record<string, unknown> = { field: 'x', shape: [2] }) {
  return makeDoc(
    [
      ['x', 'Input', x],
      ['label', 'Input', { field: 'label', shape: [], dtype: 'i32' }],
      ['logits', 'Dense', { units: 2 }],
      ['loss', 'SoftmaxCrossEntropy'],
    ],
    ['x.y -> logits.x', 'logits.y -> loss.pred', 'label.y -> loss.target'],
    { dataset, batchSize: 2 },
  );
}

describe('DatasetLoader (worker side)', () => {
  it('names the Input node and the field when they do not fit the data', async () => {
    const l = loader();
    await expect(l.forDocument(classifier({ kind: 'xor', size: 20 }))).resolves.toMatchObject({ name: 'xor' });
    const wrongShape = l.forDocument(classifier({ kind: 'xor', size: 20 }, { field: 'x', shape: [3] }));
    await expect(wrongShape).rejects.toBeInstanceOf(CompileError);
    await expect(wrongShape).rejects.toMatchObject({
      errors: [
        { node: 'x', code: 'shape', message: 'Input "x" declares shape [3] for field "x", but the dataset "xor" holds [2] per sample: set the shape to [2]' },
      ],
    });
    await expect(l.forDocument(classifier({ kind: 'xor', size: 20 }, { field: 'pixels', shape: [2] }))).rejects.toMatchObject({
      errors: [{ node: 'x', code: 'missing_input' }],
    });
    await expect(l.forDocument(classifier({ kind: 'xor', size: 20 }, { field: 'x', shape: [2], dtype: 'i32' }))).rejects.toMatchObject({
      errors: [{ node: 'x', code: 'dtype' }],
    });
  });

  it('says clearly when an uploaded dataset is not stored in this browser', async () => {
    await expect(loader().load(training({ kind: 'csv', name: 'gone.csv', label: 'y' }))).rejects.toThrow(
      'the dataset "gone.csv" is not stored in this browser',
    );
  });

  it('stores a CSV upload, summarises its columns and builds the dataset from the chosen ones', async () => {
    const l = loader();
    const summary = await l.putUpload({
      name: 'fruit.csv',
      kind: 'csv',
      files: [{ path: 'fruit.csv', type: 'text/csv', bytes: bytes('w,colour,kind\n1,red,apple\n2,green,pear\n3,red,apple\n4,green,pear\n') }],
    });
    expect(summary.csv!.rows).toBe(4);
    expect(summary.csv!.columns.map((c) => [c.name, c.kind])).toEqual([
      ['w', 'numeric'],
      ['colour', 'categorical'],
      ['kind', 'categorical'],
    ]);
    const t = training({ kind: 'csv', name: 'fruit.csv', label: 'kind', scaling: 'none' });
    const { dataset } = await l.load(t);
    expect(dataset.fields.x!.shape).toEqual([3]);
    expect(dataset.classNames).toEqual(['apple', 'pear']);
    const preview = await l.preview(t);
    expect(preview.split).toEqual({ train: 3, validation: 1 });
    expect(preview.table!.rows[0]).toEqual(['1', 'red', 'apple']);
    expect(preview.table!.lines).toEqual([2, 3, 4, 5]);
    expect(preview.classes!.map((c) => [c.name, c.total])).toEqual([
      ['apple', 2],
      ['pear', 2],
    ]);
    await expect(l.putUpload({ name: 'bad.csv', kind: 'csv', files: [{ path: 'bad.csv', type: '', bytes: bytes('a,b\n1\n') }] })).rejects.toThrow(
      'bad.csv: malformed CSV: line 2',
    );
  });

  it('decodes an image folder, lists unreadable images without failing, and previews a grid', async () => {
    const l = loader();
    const files = [
      ['pets/cat/1.png', 'img:255,0,0'],
      ['pets/cat/2.png', 'img:200,0,0'],
      ['pets/dog/1.png', 'img:0,0,255'],
      ['pets/dog/broken.png', 'garbage'],
      ['pets/dog/readme.txt', 'hi'],
    ];
    const summary = await l.putUpload({
      name: 'pets',
      kind: 'images',
      files: files.map(([path, s]) => ({ path: path!, type: 'image/png', bytes: bytes(s!) })),
    });
    expect(summary.images).toEqual({ classNames: ['cat', 'dog'], counts: [2, 2], skipped: ['pets/dog/readme.txt'] });
    const t = training({ kind: 'images', name: 'pets', width: 4, height: 4, color: 'rgb' }, { validationSplit: 0 });
    const { dataset, problems } = await l.load(t);
    expect(dataset.length).toBe(3);
    expect(dataset.fields.x).toEqual({ shape: [4, 4, 3], dtype: 'f32' });
    expect([...dataset.data.label!]).toEqual([0, 0, 1]);
    expect(dataset.data.x![0]).toBeCloseTo(1, 6);
    expect(problems).toEqual(['pets/dog/broken.png: not a readable image (bad header)']);
    const preview = await l.preview(t);
    expect(preview.images!.samples.map((s) => s.label)).toEqual([0, 1, 0]);
    expect([...preview.images!.samples[1]!.rgba.subarray(0, 4)]).toEqual([0, 0, 255, 255]);
  });

  it('previews synthetic sets as a scatter and Iris as a table in centimetres', async () => {
    const l = loader();
    const spiral = await l.preview(training({ kind: 'spirals', size: 40 }));
    expect(spiral.scatter!.x.length).toBe(40);
    expect(spiral.classes!.map((c) => c.total)).toEqual([20, 20]);
    const iris = await l.preview(training({ kind: 'iris' }));
    expect(iris.table!.columns).toEqual(['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)', 'label']);
    expect(iris.table!.rows[0]).toEqual(['5.1', '3.5', '1.4', '0.2', 'setosa']);
    expect(iris.split).toEqual({ train: 112, validation: 38 });
  });
});
