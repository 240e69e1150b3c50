/**
 * What the Train button will do, said on the button: the page compares the document the run was
 * compiled from with the one on the canvas (engine/graph/change.ts), so Resume never restarts
 * behind the user's back and a restart is always the user's own choice.
 */
import { classifyChange, type DocumentChange } from '../../engine/graph/change';
import type { GraphDocument } from '../../engine/graph/document';
import type { TrainState } from '../../workers/types';

export type RunAction =
  /** No run of this document yet: compile and train from fresh weights. */
  | { readonly kind: 'train'; readonly label: 'Train' }
  /** Continue the run; live settings apply at the next step, a hot edit recompiles keeping weights. */
  | { readonly kind: 'resume'; readonly label: 'Resume' | 'Resume with changes' | 'Continue'; readonly change: DocumentChange }
  /** Only a new run can take the edit (dataset, split, seed), or the run is done: fresh weights. */
  | { readonly kind: 'restart'; readonly label: 'Restart' | 'Train again'; readonly change: DocumentChange };

export function runAction(state: TrainState, compiled: GraphDocument | undefined, doc: GraphDocument): RunAction {
  if (!compiled || state === 'idle') return { kind: 'train', label: 'Train' };
  const change = classifyChange(compiled, doc);
  if (change.kind === 'restart') return { kind: 'restart', label: 'Restart', change };
  if (state === 'done') return change.kind === 'none' ? { kind: 'restart', label: 'Train again', change } : { kind: 'resume', label: 'Continue', change };
  return { kind: 'resume', label: change.kind === 'hot' ? 'Resume with changes' : 'Resume', change };
}
