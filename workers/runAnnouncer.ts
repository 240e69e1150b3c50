/**
 * The run in progress and the events that announce it (DESIGN.md, "The training session"): a run
 * begins when a document is opened, restarted or forked, is announced (`run_started`) when its first
 * step is taken, reports each live or hot change (`run_changed`) and ends (`run_ended`) when another
 * run replaces it. A run that never took a step is never announced, so it never ends either.
 */
import type { RunChange, RunInfo, TrainEvent } from './types';

let runCounter = 0;
const newRunId = () => `run-${Date.now().toString(36)}-${(runCounter++).toString(36)}`;

export type RunEndReason = 'closed' | 'restarted' | 'forked';

export class RunAnnouncer {
  private run: { info: RunInfo; announced: boolean } | undefined;

  constructor(private readonly emit: (e: TrainEvent) => void) {}

  /** The id of the run in progress, if any. */
  get id(): string | undefined {
    return this.run?.info.id;
  }

  /** `{ run: id }` for events that belong to the run, `{}` when there is none. */
  tag(): { run?: string } {
    return this.run ? { run: this.run.info.id } : {};
  }

  /** A new run of `doc` from `startStep` (a fork names its parent); not announced yet. */
  begin(info: Omit<RunInfo, 'id'>): void {
    this.run = { info: { id: newRunId(), ...info }, announced: false };
  }

  /** Announce the run (before its first step); false when there is none or it was announced already. */
  announce(): boolean {
    if (!this.run || this.run.announced) return false;
    this.run.announced = true;
    this.emit({ type: 'run_started', run: this.run.info });
    return true;
  }

  changed(change: RunChange): void {
    if (this.run) this.emit({ type: 'run_changed', run: this.run.info.id, change });
  }

  end(reason: RunEndReason): void {
    if (this.run?.announced) this.emit({ type: 'run_ended', run: this.run.info.id, reason });
    this.run = undefined;
  }
}
