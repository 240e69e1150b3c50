/**
 * One WGSL generator for every GEMM-shaped kernel — matmul, and conv2d and its gradients as
 * implicit GEMMs: C[bi](row, col) = Σ_q A[bi](row, q) · B[bi](q, col), q ascending (as the CPU
 * reference sums). Operands are read through functions (dense strided storage, or an image gather
 * with zero padding); sizes are baked in as constants.
 *
 * Variants (DESIGN.md: a software adapter and a discrete GPU want opposite things; autotune.ts
 * measures them):
 * - 'register': up to 64 threads, each a 4×4 block of C in registers; no workgroup memory, no barriers.
 * - 'register_wide': the same with 4×8 blocks (twice the reuse of each A value); dense operands only.
 * - 'workgroup': 16-deep slices of A and B staged in workgroup memory, each thread a 4×4 block.
 * - 'splitk': one 4×4 block per workgroup; its 64 threads split the inner dimension and add their
 *   partial sums in workgroup memory (thin outputs with a long inner dimension).
 * Dense operands whose contiguous dimension allows it are bound as vec4 arrays (one load, four values).
 */
import type { MatmulVariant } from '../kernel';
import { u } from '../wgsl';

/** Every GEMM variant, in the order the tuner tries them. */
export const GEMM_VARIANTS: readonly MatmulVariant[] = ['register', 'register_wide', 'workgroup', 'splitk'];

/**
 * How one operand is read. A is indexed (r = row of C, q); B is indexed (r = column of C, q).
 * `o` is the operand's offset for the current batch matrix (a u32 WGSL expression).
 */
export interface GemmOperand {
  /** Dense storage: element (r, q) at o + r·sr + q·sq. `aligned`: every batch offset is a multiple of 4. */
  readonly dense?: { readonly sr: number; readonly sq: number; readonly aligned: boolean };
  /** Otherwise: WGSL of `fn ${name}(o: u32, r: u32, q: u32) -> f32` reading `${binding}` (r, q in range). */
  readonly gather?: (name: string, binding: string) => string;
}

/** A bias / activation applied to each result before it is stored (see matmul.ts's MatmulEpilogue). */
export interface Epilogue {
  readonly extraInputs: number;
  expr(acc: string, row: string, col: string): string;
}

export interface GemmSpec {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batches: number;
  /** WGSL statements that define u32 `aOff`, `bOff`, `oOff` from the batch index `bi`. */
  readonly batchOffsets: string;
  readonly a: GemmOperand;
  readonly b: GemmOperand;
  /** C(row, col) of batch bi is out[oOff + row·ldo + col]. */
  readonly ldo: number;
  readonly epilogue?: Epilogue;
}

export interface GemmDispatch {
  readonly code: string;
  readonly workgroups: number;
}

const C4 = ['x', 'y', 'z', 'w'] as const;

type Mode = 'q' | 'r' | 'scalar';

/** Vector mode of an operand: 'q' when 4 consecutive q are one aligned vec4, 'r' when 4 consecutive r are. */
function modeOf(op: GemmOperand, extent: number, unroll: number): Mode {
  const d = op.dense;
  if (!d || !d.aligned) return 'scalar';
  if (d.sq === 1 && d.sr % 4 === 0 && unroll === 4) return 'q';
  if (d.sr === 1 && d.sq % 4 === 0 && extent % 4 === 0) return 'r';
  return 'scalar';
}

/** The operand's binding declaration and its scalar read function `name(o, r, q)`. */
function operandDecl(op: GemmOperand, binding: number, name: string, ident: string, vec: boolean): string {
  const decl = `@group(0) @binding(${binding}) var<storage, read> ${ident}: array<${vec ? 'vec4f' : 'f32'}>;`;
  if (op.gather) return `${decl}\n${op.gather(name, ident)}`;
  const d = op.dense!;
  const idx = `o + r * ${u(d.sr)} + q * ${u(d.sq)}`;
  const read = vec ? `let i = ${idx};\n  return ${ident}[i / 4u][i % 4u];` : `return ${ident}[${idx}];`;
  return `${decl}\nfn ${name}(o: u32, r: u32, q: u32) -> f32 {\n  ${read}\n}`;
}

function scaffold(spec: GemmSpec, vecA: boolean, vecB: boolean, workgroupSize: number, helpers: string, body: string): string {
  const extra = spec.epilogue?.extraInputs ?? 0;
  const decls = [
    operandDecl(spec.a, 0, 'ldA', 'x0', vecA),
    operandDecl(spec.b, 1, 'ldB', 'x1', vecB),
    ...Array.from({ length: extra }, (_v, e) => `@group(0) @binding(${2 + e}) var<storage, read> e${e}: array<f32>;`),
    `@group(0) @binding(${2 + extra}) var<storage, read_write> out: array<f32>;`,
    `const M = ${u(spec.m)};\nconst N = ${u(spec.n)};\nconst K = ${u(spec.k)};`,
  ];
  return `${decls.join('\n')}
${helpers}
@compute @workgroup_size(${workgroupSize})
fn main(@builtin(workgroup_id) wg: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let wid = wg.y * nwg.x + wg.x;
${body}
}
`;
}

/** Statements that store acc (vec4 per row i and column group h) for rows row0.., columns col0.. */
function store(spec: GemmSpec, rows: number, groups: number, acc: (i: number, h: number) => string): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 4 * groups; j++) {
      const v = `${acc(i, j >> 2)}.${C4[j & 3]}`;
      const expr = spec.epilogue ? spec.epilogue.expr(v, `r${i}`, `c${j}`) : v;
      lines.push(`  if (r${i} < M && c${j} < N) { out[oOff + r${i} * ${u(spec.ldo)} + c${j}] = ${expr}; }`);
    }
  }
  const names = [
    ...Array.from({ length: rows }, (_v, i) => `  let r${i} = row0 + ${u(i)};`),
    ...Array.from({ length: 4 * groups }, (_v, j) => `  let c${j} = col0 + ${u(j)};`),
  ];
  return [...names, ...lines].join('\n');
}

/**
 * How many q one loop iteration takes: the largest of 4, 2, 1 that divides k. Gathered operands
 * (convolutions) inline their index maths at every load, so they are not unrolled: SwiftShader's
 * compiler takes minutes over the unrolled code.
 */
function unrollFor(spec: GemmSpec): number {
  if (spec.a.gather || spec.b.gather) return 1;
  return spec.k % 4 === 0 ? 4 : spec.k % 2 === 0 ? 2 : 1;
}

/**
 * The inner loop of the register-tile variants: the thread owns rows row0..row0+3 and columns
 * col0..col0+4·groups-1; `loop` is the for-header over q (step `unroll`). Returns setup + loop.
 */
function registerLoop(spec: GemmSpec, groups: number, unroll: number, loop: string, modeA: Mode, modeB: Mode): string {
  const cols = 4 * groups;
  const setup: string[] = [];
  const chunk: string[] = [];
  // A: a(i, t) = A(row0 + i, q + t).
  if (modeA === 'q') {
    for (let i = 0; i < 4; i++) {
      setup.push(`  let aI${i} = (aOff + min(row0 + ${u(i)}, M - 1u) * ${u(spec.a.dense!.sr)}) / 4u;`);
      chunk.push(`    let av${i} = x0[aI${i} + q / 4u];`);
    }
  } else if (modeA === 'r') {
    setup.push(`  let aI = (aOff + min(row0, M - 4u)) / 4u;`);
    for (let t = 0; t < unroll; t++) chunk.push(`    let av${t} = x0[aI + (q + ${u(t)}) * ${u(spec.a.dense!.sq / 4)}];`);
  } else {
    for (let i = 0; i < 4; i++) setup.push(`  let aR${i} = min(row0 + ${u(i)}, M - 1u);`);
  }
  const a = (i: number, t: number): string => (modeA === 'q' ? `av${i}.${C4[t]}` : modeA === 'r' ? `av${t}.${C4[i]}` : `ldA(aOff, aR${i}, q + ${u(t)})`);
  // B: b(t, h) = vec4 of B(q + t, col0 + 4h .. col0 + 4h + 3).
  if (modeB === 'r') {
    for (let h = 0; h < groups; h++) {
      setup.push(`  let bI${h} = (bOff + min(col0 + ${u(4 * h)}, N - 4u)) / 4u;`);
      for (let t = 0; t < unroll; t++) chunk.push(`    let bv${t}_${h} = x1[bI${h} + (q + ${u(t)}) * ${u(spec.b.dense!.sq / 4)}];`);
    }
  } else if (modeB === 'q') {
    for (let j = 0; j < cols; j++) {
      setup.push(`  let bI${j} = (bOff + min(col0 + ${u(j)}, N - 1u) * ${u(spec.b.dense!.sr)}) / 4u;`);
      chunk.push(`    let bv${j} = x1[bI${j} + q / 4u];`);
    }
  } else {
    for (let j = 0; j < cols; j++) setup.push(`  let bC${j} = min(col0 + ${u(j)}, N - 1u);`);
  }
  const b = (t: number, h: number): string => {
    if (modeB === 'r') return `bv${t}_${h}`;
    const js = [0, 1, 2, 3].map((j) => 4 * h + j);
    if (modeB === 'q') return `vec4f(${js.map((j) => `bv${j}.${C4[t]}`).join(', ')})`;
    return `vec4f(${js.map((j) => `ldB(bOff, bC${j}, q + ${u(t)})`).join(', ')})`;
  };
  if (modeB !== 'r') for (let t = 0; t < unroll; t++) for (let h = 0; h < groups; h++) chunk.push(`    let bq${t}_${h} = ${b(t, h)};`);
  const bRef = (t: number, h: number) => (modeB === 'r' ? b(t, h) : `bq${t}_${h}`);
  const fmas: string[] = [];
  for (let t = 0; t < unroll; t++) {
    for (let i = 0; i < 4; i++) {
      for (let h = 0; h < groups; h++) fmas.push(`    acc${i}_${h} += ${a(i, t)} * ${bRef(t, h)};`);
    }
  }
  const accs = [];
  for (let i = 0; i < 4; i++) for (let h = 0; h < groups; h++) accs.push(`  var acc${i}_${h} = vec4f(0.0);`);
  return [...setup, ...accs, `  ${loop} {`, ...chunk, ...fmas, '  }'].join('\n');
}

/** Statements common to every variant: bail out past the last tile, find this workgroup's batch and tile. */
function tileHeader(spec: GemmSpec, tileM: number, tileN: number): { head: string; workgroups: number } {
  const tilesM = Math.ceil(spec.m / tileM);
  const tilesN = Math.ceil(spec.n / tileN);
  const tiles = tilesM * tilesN;
  const workgroups = spec.batches * tiles;
  const head = `  if (wid >= ${u(workgroups)}) { return; }
  let bi = wid / ${u(tiles)};
  let tm = (wid % ${u(tiles)}) / ${u(tilesN)};
  let tn = wid % ${u(tilesN)};
${spec.batchOffsets}`;
  return { head, workgroups };
}

function registerVariant(spec: GemmSpec, groups: number): GemmDispatch {
  const unroll = unrollFor(spec);
  const modeA = modeOf(spec.a, spec.m, unroll);
  const modeB = modeOf(spec.b, spec.n, unroll);
  // 64 threads, or fewer when the output has few blocks, so that there are workgroups for every
  // core (SwiftShader runs one workgroup per CPU thread); as many across the columns as the output needs.
  const blocks = spec.batches * Math.ceil(spec.m / 4) * Math.ceil(spec.n / (4 * groups));
  const threads = Math.min(64, Math.max(4, 2 ** Math.floor(Math.log2(Math.max(1, blocks / 8)))));
  const across = Math.min(8, threads, Math.max(1, 2 ** Math.ceil(Math.log2(Math.ceil(spec.n / (4 * groups))))));
  const down = threads / across;
  const { head, workgroups } = tileHeader(spec, 4 * down, 4 * groups * across);
  const body = `${head}
  let row0 = tm * ${u(4 * down)} + (li / ${u(across)}) * 4u;
  let col0 = tn * ${u(4 * groups * across)} + (li % ${u(across)}) * ${u(4 * groups)};
${registerLoop(spec, groups, unroll, `for (var q = 0u; q < K; q += ${u(unroll)})`, modeA, modeB)}
${store(spec, 4, groups, (i, h) => `acc${i}_${h}`)}`;
  return { code: scaffold(spec, modeA !== 'scalar', modeB !== 'scalar', threads, '', body), workgroups };
}

function splitkVariant(spec: GemmSpec): GemmDispatch {
  const unroll = unrollFor(spec);
  const modeA = modeOf(spec.a, spec.m, unroll);
  const modeB = modeOf(spec.b, spec.n, unroll);
  const { head, workgroups } = tileHeader(spec, 4, 4);
  const body = `${head}
  let row0 = tm * 4u;
  let col0 = tn * 4u;
${registerLoop(spec, 1, unroll, `for (var q = li * ${u(unroll)}; q < K; q += ${u(64 * unroll)})`, modeA, modeB)}
  red[li * 4u + 0u] = acc0_0;
  red[li * 4u + 1u] = acc1_0;
  red[li * 4u + 2u] = acc2_0;
  red[li * 4u + 3u] = acc3_0;
  workgroupBarrier();
  // Thread j < 16 adds up output (j / 4, j % 4) over the 64 partial sums, in thread order.
  if (li >= 16u) { return; }
  var sum = 0.0;
  for (var t = 0u; t < 64u; t++) { sum += red[t * 4u + li / 4u][li % 4u]; }
  let row = row0 + li / 4u;
  let col = col0 + li % 4u;
  if (row < M && col < N) { out[oOff + row * ${u(spec.ldo)} + col] = ${spec.epilogue ? spec.epilogue.expr('sum', 'row', 'col') : 'sum'}; }`;
  return { code: scaffold(spec, modeA !== 'scalar', modeB !== 'scalar', 64, 'var<workgroup> red: array<vec4f, 256>;', body), workgroups };
}

function workgroupVariant(spec: GemmSpec): GemmDispatch {
  const big = spec.m >= 64 && spec.n >= 64;
  const [bm, bn, bk] = big ? [64, 64, 16] : [32, 32, 16];
  const threads = (bm / 4) * (bn / 4);
  const { head, workgroups } = tileHeader(spec, bm, bn);
  // Staging order: consecutive threads read consecutive addresses where the operand allows it.
  const stage = (tile: string, ld: string, off: string, extent: string, edge: number, contiguousQ: boolean, first: string): string => {
    const [kk, rr] = contiguousQ ? [`idx % ${u(bk)}`, `idx / ${u(bk)}`] : [`idx / ${u(edge)}`, `idx % ${u(edge)}`];
    return `    for (var e = 0u; e < ${u((edge * bk) / threads)}; e++) {
      let idx = e * ${u(threads)} + li;
      let kk = ${kk};
      let rr = ${rr};
      let q = k0 + kk;
      ${tile}[kk * ${u(edge)} + rr] = select(0.0, ${ld}(${off}, min(${first} + rr, ${extent} - 1u), min(q, K - 1u)), q < K);
    }`;
  };
  const accs = [0, 1, 2, 3].map((i) => `  var acc${i} = vec4f(0.0);`).join('\n');
  const body = `${head}
  let ty = li / ${u(bn / 4)};
  let tx = li % ${u(bn / 4)};
  let rowT = tm * ${u(bm)};
  let colT = tn * ${u(bn)};
  let row0 = rowT + ty * 4u;
  let col0 = colT + tx * 4u;
${accs}
  for (var k0 = 0u; k0 < K; k0 += ${u(bk)}) {
${stage('tileA', 'ldA', 'aOff', 'M', bm, spec.a.dense?.sq === 1, 'rowT')}
${stage('tileB', 'ldB', 'bOff', 'N', bn, spec.b.dense?.sq === 1, 'colT')}
    workgroupBarrier();
    for (var kk = 0u; kk < ${u(bk)}; kk++) {
      let a = kk * ${u(bm)} + ty * 4u;
      let b = kk * ${u(bn)} + tx * 4u;
      let bv = vec4f(tileB[b], tileB[b + 1u], tileB[b + 2u], tileB[b + 3u]);
${[0, 1, 2, 3].map((i) => `      acc${i} += tileA[a + ${u(i)}] * bv;`).join('\n')}
    }
    workgroupBarrier();
  }
${store(spec, 4, 1, (i) => `acc${i}`)}`;
  const helpers = `var<workgroup> tileA: array<f32, ${bm * bk}>;\nvar<workgroup> tileB: array<f32, ${bn * bk}>;`;
  return { code: scaffold(spec, false, false, threads, helpers, body), workgroups };
}

/** The GEMM as one dispatch of the given variant. */
export function gemm(spec: GemmSpec, variant: MatmulVariant): GemmDispatch {
  switch (variant) {
    case 'register':
      return registerVariant(spec, 1);
    // Gathered operands (convolutions) inline their index maths per load; 4×8 blocks of them
    // take SwiftShader's compiler minutes, so they get 4×4 blocks.
    case 'register_wide':
      return registerVariant(spec, spec.a.gather || spec.b.gather ? 1 : 2);
    case 'workgroup':
      return workgroupVariant(spec);
    case 'splitk':
      return splitkVariant(spec);
    default:
      return variant satisfies never;
  }
}

/** The variant used when nothing was measured: split-K for few output blocks over a long inner dimension, else register tiles. */
export function defaultVariant(m: number, n: number, k: number, batches: number): MatmulVariant {
  const blocks = batches * Math.ceil(m / 32) * Math.ceil(n / 32);
  return blocks <= 4 && k >= 512 ? 'splitk' : 'register';
}
