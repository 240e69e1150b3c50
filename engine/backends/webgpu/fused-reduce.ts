/**
 * WGSL for a reduce kernel of the schedule (engine/compile/schedule/reduction.ts): the reduction's
 * own strategies (kernels/reduce.ts: one thread per output, or a workgroup tree for a few large
 * outputs) with the prologue as a function giving each reduced element (`pro(e)`, e the input's flat
 * index) and the epilogue as a function giving each stored value (`epi(acc, i)`, i the output's
 * flat index). Both render the expression table's WGSL forms, one `let` per expression, as
 * fused-elementwise.ts does; loads are indexed by viewStrides, the one rule every backend follows.
 */
import type { Graph } from '../../compile/graph';
import { dtypeOf, type Expr, type ReduceKernel } from '../../compile/schedule/kernels';
import type { Shape } from '../../ops/types';
import type { KernelPlan } from './kernel';
import { reductionDispatches } from './kernels/reduce';
import { pushExprLines } from './exprLines';
import { inputsNamed, wgslType } from './wgsl';

/** `exprs` as a WGSL function `name(e[, acc])` over `domain` returning expression `result`; table helpers are added to `helpers`. */
function exprFunction(name: string, exprs: readonly Expr[], result: number, domain: Shape, acc: boolean, helpers: Set<string>): string {
  const lines: string[] = [];
  pushExprLines(exprs, domain, 'e', lines, helpers, acc ? 'acc' : undefined);
  const type = wgslType(dtypeOf(exprs[result]!));
  return `fn ${name}(e: u32${acc ? ', acc: f32' : ''}) -> ${type} {\n${lines.join('\n')}\n  return v${result};\n}`;
}

/** The dispatch computing `kernel` (bindings: x0… for its reads, then the output). */
export function reduceDispatches(graph: Graph, kernel: ReduceKernel): KernelPlan {
  const helpers = new Set<string>();
  const functions: string[] = [];
  const { prologue, epilogue, input } = kernel;
  const lone = prologue.exprs[prologue.result]!;
  let element = (index: string) => `x0[${index}]`;
  if (lone.kind !== 'load' || lone.read !== 0) {
    functions.push(exprFunction('pro', prologue.exprs, prologue.result, input, false, helpers));
    element = (index) => `pro(${index})`;
  }
  let store = (acc: string) => acc;
  if (epilogue.exprs[epilogue.result]!.kind !== 'acc') {
    functions.push(exprFunction('epi', epilogue.exprs, epilogue.result, kernel.reduction.type.shape, true, helpers));
    store = (acc) => `epi(i, ${acc})`;
  }
  const inputs = inputsNamed(kernel.reads.map((id) => graph.nodes[id]!.type.dtype));
  const reduced = { shape: input, dtype: dtypeOf(lone) };
  return reductionDispatches(kernel.op, reduced, kernel.axes, kernel.node.type, {
    inputs,
    helpers: [...helpers, ...functions].join('\n'),
    element,
    store,
  });
}
