/** The starting graphs offered in the Templates menu; the first opens when there is no autosave. */
import type { Template } from './build';
import { lenet } from './lenet';
import { mlpMnist } from './mlpMnist';
import { twoLayerNet } from './twoLayerNet';
import { twoSpirals } from './twoSpirals';

export type { Template } from './build';

/** Menu order. */
export const TEMPLATES: readonly Template[] = [twoLayerNet, mlpMnist, lenet, twoSpirals];

export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
