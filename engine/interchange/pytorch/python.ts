/** Writing Python source: identifiers from node ids, and literals. */

const KEYWORDS = new Set([
  'False',
  'None',
  'True',
  'and',
  'as',
  'assert',
  'async',
  'await',
  'break',
  'class',
  'continue',
  'def',
  'del',
  'elif',
  'else',
  'except',
  'finally',
  'for',
  'from',
  'global',
  'if',
  'import',
  'in',
  'is',
  'lambda',
  'nonlocal',
  'not',
  'or',
  'pass',
  'raise',
  'return',
  'try',
  'while',
  'with',
  'yield',
  'match',
  'case',
  'type',
]);

/**
 * Names a node id may not take, as an attribute of an nn.Module or a local of forward(): nn.Module's
 * own members (an attribute `training` or `forward` would break the module) and the names
 * model.py uses itself.
 */
const TAKEN = new Set([
  'self',
  'inputs',
  'torch',
  'nn',
  'F',
  'json',
  'struct',
  'math',
  'Model',
  'super',
  'forward',
  'training',
  'train',
  'eval',
  'parameters',
  'named_parameters',
  'buffers',
  'named_buffers',
  'children',
  'modules',
  'named_modules',
  'state_dict',
  'load_state_dict',
  'to',
  'cuda',
  'cpu',
  'float',
  'double',
  'half',
  'type',
  'apply',
  'zero_grad',
  'register_buffer',
  'register_parameter',
  'add_module',
  'get_submodule',
  'requires_grad_',
  'dump_patches',
  'call_super_init',
]);

/** Unique Python identifiers for names (node ids), in order of first request. */
export class Identifiers {
  private readonly used = new Set<string>();
  private readonly byName = new Map<string, string>();

  /** The identifier of `name`, made on first use: non-identifier characters become "_". */
  of(name: string): string {
    const known = this.byName.get(name);
    if (known) return known;
    let base = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (!base || /^[0-9]/.test(base)) base = `n_${base}`;
    if (KEYWORDS.has(base) || TAKEN.has(base)) base = `${base}_`;
    let id = base;
    for (let k = 2; this.used.has(id); k++) id = `${base}_${k}`;
    this.used.add(id);
    this.byName.set(name, id);
    return id;
  }

  /** Every (name, identifier) pair made so far, where the two differ. */
  renamed(): [string, string][] {
    return [...this.byName].filter(([name, id]) => name !== id);
  }
}

/** A Python float literal that reads back as the same double. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (!Number.isFinite(x)) return x > 0 ? 'float("inf")' : 'float("-inf")';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** A Python string literal (JSON's escapes are Python's for these). */
export const pyStr = (s: string): string => JSON.stringify(s);

/** A Python tuple of ints. */
export const pyTuple = (xs: readonly number[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);

/** Text safe inside a Python comment or docstring line (no line breaks, no closing quotes). */
export const pyComment = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/"""/g, '"\'"');
