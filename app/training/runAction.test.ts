import { describe, expect, it } from 'vitest';
import { TrainingConfig } from '../../engine/graph/training';
import { twoLayerDoc } from '../../engine/testing/docs';
import { runAction } from './runAction';

const doc = twoLayerDoc();
const moved = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y }, label: `${n.id}!` })) };
const lr = { ...doc, training: TrainingConfig.parse({ ...doc.training, lr: 0.5 }) };
const wider = { ...doc, nodes: doc.nodes.map((n) => (n.type === 'Parameter' ? { ...n, params: { ...n.params, extra: 1 } } : n)) };
const otherData = { ...doc, training: TrainingConfig.parse({ ...doc.training, dataset: { kind: 'xor' } }) };

describe('runAction: the Train button says what it will do', () => {
  it('trains a document that has no run yet', () => {
    expect(runAction('idle', undefined, doc).label).toBe('Train');
    expect(runAction('idle', doc, doc).label).toBe('Train');
  });

  it('a drag, a rename or a live setting while paused resumes the same run', () => {
    expect(runAction('paused', doc, moved)).toMatchObject({ kind: 'resume', label: 'Resume' });
    expect(runAction('paused', doc, lr)).toMatchObject({ kind: 'resume', label: 'Resume' });
  });

  it('a structural edit resumes with changes; a dataset change asks for a restart, never resumes', () => {
    expect(runAction('paused', doc, wider)).toMatchObject({ kind: 'resume', label: 'Resume with changes' });
    expect(runAction('paused', doc, otherData)).toMatchObject({ kind: 'restart', label: 'Restart' });
    expect(runAction('running', doc, otherData).kind).toBe('restart');
  });

  it('a finished run trains again from scratch unless the edit can continue it', () => {
    expect(runAction('done', doc, moved)).toMatchObject({ kind: 'restart', label: 'Train again' });
    expect(runAction('done', doc, lr)).toMatchObject({ kind: 'resume', label: 'Continue' });
  });
});
