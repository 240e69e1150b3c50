import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS, MODEL_FILE_BYTES } from '../../engine/graph/limits';
import { openSizeProblem, weightsSizeProblem } from './openSize';

const text = (s: string) => new TextEncoder().encode(s);
const zip = new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]);

describe('openSizeProblem', () => {
  it('lets a graph file up to the document limit through, and refuses a larger one naming the file, its size and the limit', () => {
    const head = text('{"format":"wiregrad.graph","version":2,');
    expect(openSizeProblem('net.json', DOCUMENT_LIMITS.bytes, head)).toBeUndefined();
    expect(openSizeProblem('net.json', 50 * 2 ** 20, head)).toBe('Could not open "net.json": it is 50 MiB, over the 8.0 MiB a graph file may be.');
  });

  it('allows a model file (zip) or an ONNX, Keras or Caffe model the model-file limit, not more', () => {
    expect(openSizeProblem('run.wiregrad.zip', 500 * 2 ** 20, zip)).toBeUndefined();
    expect(openSizeProblem('resnet.onnx', 500 * 2 ** 20, new Uint8Array([8, 7]))).toBeUndefined();
    expect(openSizeProblem('model.json', 100 * 2 ** 20, text('{"class_name": "Sequential", "config": {'))).toBeUndefined();
    expect(openSizeProblem('huge.onnx', MODEL_FILE_BYTES + 1, new Uint8Array([8, 7]))).toMatch(
      /^Could not open "huge\.onnx": it is 1280 MiB, over the 1280 MiB a model file may be\.$/,
    );
  });

  it('treats an unknown file as a graph file and clips a long name', () => {
    const problem = openSizeProblem(`${'x'.repeat(5000)}.bin`, 9 * 2 ** 20, text('garbage'))!;
    expect(problem).toMatch(/over the 8\.0 MiB a graph file may be\.$/);
    expect(problem.length).toBeLessThan(200);
  });
});

describe('weightsSizeProblem', () => {
  it('lets a weights file up to the model-file limit through, and refuses a larger one naming the file, its size and the limit', () => {
    expect(weightsSizeProblem('model.safetensors', MODEL_FILE_BYTES)).toBeUndefined();
    expect(weightsSizeProblem('model.safetensors', 1536 * 2 ** 20)).toBe(
      'Could not load weights from "model.safetensors": it is 1536 MiB, over the 1280 MiB a weights file may be.',
    );
    expect(weightsSizeProblem(`${'w'.repeat(5000)}.safetensors`, 2 ** 31)!.length).toBeLessThan(200);
  });
});
