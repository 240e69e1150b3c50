import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gpuRows, lastJson } from './gpu-report.mjs';

describe("the GPU run's report", () => {
  it('reads the last tagged JSON line of a file, and names what is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpu-report-'));
    writeFileSync(join(dir, 'torch.txt'), 'table…\nTORCH {"mlp_ms": 2}\nTORCH_SCALE {"scale_mlp_w256_ms_torch": 1}\nTORCH {"mlp_ms": 3}\n');
    expect(lastJson(join(dir, 'torch.txt'), 'TORCH')).toEqual({ json: { mlp_ms: 3 } });
    expect(lastJson(join(dir, 'torch.txt'), 'TORCH_SCALE')).toEqual({ json: { scale_mlp_w256_ms_torch: 1 } });
    expect(lastJson(join(dir, 'torch.txt'), 'BENCH').missing).toMatch(/has no BENCH line/);
    expect(lastJson(join(dir, 'node.txt'), 'BENCH').missing).toMatch(/node\.txt does not exist/);
    writeFileSync(join(dir, 'bad.txt'), 'BENCH {not json\n');
    expect(lastJson(join(dir, 'bad.txt'), 'BENCH').missing).toMatch(/not JSON/);
  });

  it('puts Wiregrad against PyTorch as ratios and judges the targets', () => {
    const torch = { mlp_ms: 0.5, cnn_ms: 1.2, gpt_ms: 3, matmul_gflops: { '1024x1024x1024': 20_000, '4096x4096x4096': 40_000 } };
    const node = {
      mlp: { wiregrad_webgpu_ms: 0.4 },
      cnn: { wiregrad_webgpu_ms: 1.5 },
      gpt: { wiregrad_webgpu_ms: null },
      matmul_gflops: { '1024x1024x1024': { wiregrad: 9_000 }, '4096x4096x4096': { wiregrad: 24_000 } },
    };
    const rows = gpuRows(torch, node, { scale_mlp_w256_ms_wiregrad_webgpu: 2 }, { scale_mlp_w256_ms_torch: 1, device: 'H100' });
    const by = Object.fromEntries(rows.map((r) => [r.what, r]));
    // Faster than PyTorch: 0.5 / 0.4 = 1.25×, met; LeNet 1.2 / 1.5 = 0.8×, not met.
    expect(by['MLP 784-256-10 step']).toMatchObject({ ratio: 1.25, met: true });
    expect(by['LeNet-5 step']!.ratio).toBeCloseTo(0.8, 12);
    expect(by['LeNet-5 step']!.met).toBe(false);
    // A row that did not run has no ratio and no verdict.
    expect(by['char-GPT step']).toMatchObject({ wiregrad: null, ratio: null, met: null });
    // 4096³ at 24,000 of 40,000 GFLOPS = 60%: the ≥ 50% target is met; other sizes have no target.
    expect(by['matmul 4096x4096x4096']).toMatchObject({ ratio: 0.6, met: true, target: { min: 0.5 } });
    expect(by['matmul 1024x1024x1024']).toMatchObject({ ratio: 0.45, target: null, met: null });
    expect(by['scale mlp_w256']).toMatchObject({ wiregrad: 2, torch: 1, ratio: 0.5 });
    expect(rows.some((r) => r.what.includes('device'))).toBe(false);
  });

  it('reports every row unmeasured when the runs left nothing', () => {
    const rows = gpuRows(undefined, undefined, undefined, undefined);
    expect(rows.map((r) => r.what)).toEqual(['MLP 784-256-10 step', 'LeNet-5 step', 'char-GPT step']);
    expect(rows.every((r) => r.ratio === null && r.met === null)).toBe(true);
  });
});
