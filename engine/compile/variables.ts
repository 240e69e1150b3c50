/**
 * A session's variables on its backend: created fresh from their specs or carried over from the
 * last session there (a hot edit), and every other variable the backend holds freed.
 */
import type { Backend, Data } from '../backends/backend';
import type { OptimizerConfig } from '../graph/training';
import { initialValues } from '../nn/init';
import { sizeOf } from '../ops/shape';
import type { Shape } from '../ops/types';
import { HALTED, sameSlots, type VariableSpec } from './compiler';

/** What a new session kept from the one it carried over (ProgramOptions.carry). */
export interface CarryReport {
  /** Variables (parameters, slots, running statistics) that kept their values. */
  readonly kept: string[];
  /** Variables initialised afresh: new, reshaped, or slots of another optimizer. */
  readonly initialised: string[];
  /** Trainable scalars kept, and in all. */
  readonly keptParams: number;
  readonly totalParams: number;
}

/** What a later session needs to know of the last one created on a backend to carry its variables over. */
export interface SessionRecord {
  readonly variables: readonly VariableSpec[];
  readonly optimizer: OptimizerConfig;
  readonly resident: Readonly<Record<string, Data>> | undefined;
}

/**
 * The last session created on each backend (carry: 'backend'). Keyed weakly by the backend, so it
 * lives exactly as long as the backend's variables it describes.
 */
export const lastSession = new WeakMap<Backend, SessionRecord>();

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Move the variables a session carries over to new names (`renames`: parameter names, e.g. a
 * composite node expanded into its parts, `block/ln1_gamma` → `block_ln1/gamma`), each with its
 * optimizer slots (`name:slot`), so that the next session finds them under its own names. Returns
 * the record with the new names. A variable whose new name is already taken stays as it is.
 */
export async function renameCarried(backend: Backend, record: SessionRecord, renames: ReadonlyMap<string, string>): Promise<SessionRecord> {
  const newName = (name: string): string | undefined => {
    const colon = name.indexOf(':');
    const param = colon < 0 ? name : name.slice(0, colon);
    const to = renames.get(param);
    return to === undefined ? undefined : to + name.slice(param.length);
  };
  const variables: VariableSpec[] = [];
  for (const v of record.variables) {
    const to = newName(v.name);
    if (to === undefined || !backend.hasVariable(v.name) || backend.hasVariable(to)) {
      variables.push(v);
      continue;
    }
    backend.createVariable(to, { shape: v.shape, dtype: v.dtype }, await backend.readVariable(v.name));
    backend.deleteVariable(v.name);
    variables.push({ ...v, name: to, node: to.slice(0, to.indexOf('/')) });
  }
  return { ...record, variables };
}

/**
 * Create `specs` on `backend`: carried over from `carry` where allowed, initialised otherwise; then
 * free every other variable the backend holds.
 */
export function materialise(
  backend: Backend,
  specs: readonly VariableSpec[],
  optimizer: OptimizerConfig,
  resident: Readonly<Record<string, Data>> | undefined,
  carry: SessionRecord | undefined,
): CarryReport {
  const previous = new Map(carry?.variables.map((v) => [v.name, v]));
  const slotsCarry = carry !== undefined && sameSlots(carry.optimizer, optimizer);
  const kept: string[] = [];
  const initialised: string[] = [];
  let keptParams = 0;
  let totalParams = 0;
  const seen = new Set<string>();
  for (const v of specs) {
    if (seen.has(v.name)) continue;
    seen.add(v.name);
    const before = previous.get(v.name);
    let keep = before !== undefined && before.kind === v.kind && before.dtype === v.dtype && sameShape(before.shape, v.shape) && backend.hasVariable(v.name);
    if (v.kind === 'slot') keep &&= slotsCarry;
    if (v.kind === 'data')
      keep &&= resident !== undefined && carry?.resident?.[(v.init as { field: string }).field] === resident[(v.init as { field: string }).field];
    if (v.name === HALTED) keep = false; // a recompiled program gets a fresh chance
    if (!keep) backend.createVariable(v.name, { shape: v.shape, dtype: v.dtype }, initialData(v, resident));
    if (v.kind === 'data' || v.name === HALTED) continue;
    (keep ? kept : initialised).push(v.name);
    if (v.trainable) {
      totalParams += sizeOf(v.shape);
      if (keep) keptParams += sizeOf(v.shape);
    }
  }
  for (const name of backend.variableNames()) if (!seen.has(name)) backend.deleteVariable(name);
  return { kept, initialised, keptParams, totalParams };
}

function initialData(v: VariableSpec, resident: Readonly<Record<string, Data>> | undefined): Data {
  const { init } = v;
  switch (init.kind) {
    case 'initializer':
      return initialValues(init.init, v.shape, init.fans, init.seed);
    case 'fill':
      return new Float32Array(sizeOf(v.shape)).fill(init.value);
    case 'data':
      return resident![init.field]!;
    default:
      return init satisfies never;
  }
}
