import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../engine/graph/templates';
import { RunAnnouncer } from './runAnnouncer';
import type { TrainEvent } from './types';

describe('RunAnnouncer', () => {
  const doc = TEMPLATES[0]!.build();

  it('announces a run once, tags its events, reports changes and ends it', () => {
    const events: TrainEvent[] = [];
    const runs = new RunAnnouncer((e) => events.push(e));
    expect(runs.tag()).toEqual({});
    runs.begin({ doc, startStep: 0 });
    const id = runs.id!;
    expect(runs.announce()).toBe(true);
    expect(runs.announce()).toBe(false);
    runs.changed({ step: 5, kind: 'live', reasons: ['learning rate'] });
    expect(runs.tag()).toEqual({ run: id });
    runs.end('restarted');
    expect(runs.id).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['run_started', 'run_changed', 'run_ended']);
  });

  it('never ends a run it did not announce (one that took no step), and gives each run its own id', () => {
    const events: TrainEvent[] = [];
    const runs = new RunAnnouncer((e) => events.push(e));
    runs.begin({ doc, startStep: 0 });
    const first = runs.id;
    runs.end('closed');
    runs.begin({ doc, startStep: 0 });
    expect(runs.id).not.toBe(first);
    expect(events).toEqual([]);
  });
});
