/** The starting graphs offered in the Templates menu; the first opens when there is no autosave. */
import type { Template } from './build';
import { charGpt } from './charGpt';
import { lenet } from './lenet';
import { lstmLm } from './lstmLm';
import { mlpMnist } from './mlpMnist';
import { sortTransformer } from './sortTransformer';
import { twoLayerNet } from './twoLayerNet';
import { twoSpirals } from './twoSpirals';

export type { Template } from './build';

/** Menu order. */
export const TEMPLATES: readonly Template[] = [twoLayerNet, mlpMnist, lenet, twoSpirals, charGpt, lstmLm, sortTransformer];

export function templateById(id: string): Template | undefined {
  return TEMPLATES.find((t) => t.id === id);
}
