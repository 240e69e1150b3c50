/**
 * A served model on the WebGPU backend (Dawn on SwiftShader in Node): padded batch buckets and
 * merged calls give the CPU Program's inference, to float32 rounding.
 */
import { describe, expect, it } from 'vitest';
import { gpuBackend } from '../engine/backends/webgpu/testing';
import { Batcher } from './serve/batcher';
import { engineForward, mnistMlp, randomImages, randomWeights, weightsFile } from './serve/testModels';
import { WiregradModel } from './serve/wiregradModel';

describe('wiregrad serve on WebGPU', () => {
  it('predicts what the CPU Program computes, alone, padded and merged', async () => {
    const doc = mnistMlp();
    const weights = randomWeights(doc, 21);
    const model = await WiregradModel.load(doc, weightsFile(doc, weights), await gpuBackend(), 8);
    try {
      expect(model.device).not.toMatch(/^CPU/);
      const x = randomImages(11, 8);
      const want = await engineForward(doc, weights, 'x', x, 'logits');
      const near = (got: ArrayLike<number>, ref: ArrayLike<number>) => {
        expect(got.length).toBe(ref.length);
        for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i]! - ref[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref[i]!)));
      };
      near((await model.run({ x: x.subarray(0, 784) }, 1)).logits!, want.subarray(0, 10));
      near((await model.run({ x: x.subarray(0, 5 * 784) }, 5)).logits!, want.subarray(0, 50)); // bucket 8, padded
      const batcher = new Batcher(model, 8);
      const answers = await Promise.all(Array.from({ length: 11 }, (_v, i) => batcher.predict({ x: x.subarray(i * 784, (i + 1) * 784) }, 1)));
      answers.forEach((a, i) => near(a.logits!, want.subarray(i * 10, (i + 1) * 10)));
      expect(batcher.samples).toBe(11);
    } finally {
      model.dispose();
    }
  });
});
