/** Types of gpu-report.mjs: the GPU run's verdict from the TORCH / TORCH_SCALE / BENCH lines. */
export interface GpuRow {
  readonly what: string;
  readonly wiregrad: number | null;
  readonly torch: number | null;
  readonly unit: 'ms' | 'GFLOPS';
  /** Time rows: PyTorch ms ÷ Wiregrad ms; GFLOPS rows: Wiregrad ÷ PyTorch. */
  readonly ratio: number | null;
  readonly target: { readonly min: number; readonly text: string } | null;
  readonly met: boolean | null;
}
type Json = Record<string, unknown>;
export function lastJson(file: string, tag: string): { json?: Json; missing?: string };
export function gpuRows(torch: Json | undefined, node: Json | undefined, scale: Json | undefined, torchScale: Json | undefined): GpuRow[];
