/**
 * The session's weight snapshots: taken every `everySteps` steps (and at a run's start), at most
 * `keep` of them and MAX_CHECKPOINT_BYTES in all, the oldest dropped first. A snapshot holds every
 * variable (weights, running statistics, optimizer state), so a run continued from one follows the
 * same trajectory it would have followed then.
 */
import type { Checkpoint } from '../engine/compile/program';
import type { GraphDocument } from '../engine/graph/document';
import type { CheckpointInfo, CheckpointPolicy } from './types';

/** Snapshots live in the worker's memory: at most this much of it. */
export const MAX_CHECKPOINT_BYTES = 512 * 1024 * 1024;

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everySteps: 200, keep: 8 };

/** A snapshot with what is needed to continue from it. */
export interface StoredCheckpoint {
  readonly info: CheckpointInfo;
  /** Batches of its epoch taken by then (a run continued from it takes the same next batch). */
  readonly batchInEpoch: number;
  /** The document the run was compiled from at that step. */
  readonly doc: GraphDocument;
  readonly data: Checkpoint;
}

export class CheckpointStore {
  private items: StoredCheckpoint[] = [];
  private last = new Map<string, number>();
  policy: CheckpointPolicy = DEFAULT_CHECKPOINT_POLICY;

  /** True when the run has gone `everySteps` steps since its last snapshot. */
  due(run: string, step: number): boolean {
    const last = this.last.get(run);
    return this.policy.everySteps > 0 && last !== undefined && step - last >= this.policy.everySteps;
  }

  add(item: StoredCheckpoint): void {
    const { run, step } = item.info;
    this.last.set(run, step);
    this.items = [...this.items.filter((c) => !(c.info.run === run && c.info.step === step)), item];
    const keep = Math.max(1, this.policy.keep);
    let bytes = this.items.reduce((n, c) => n + c.info.bytes, 0);
    while (this.items.length > 1 && (this.items.length > keep || bytes > MAX_CHECKPOINT_BYTES)) {
      bytes -= this.items[0]!.info.bytes;
      this.items.shift();
    }
  }

  find(run: string, step: number): StoredCheckpoint | undefined {
    return this.items.find((c) => c.info.run === run && c.info.step === step);
  }

  /** Forget the run's snapshots after `step` (a roll back made them another future). */
  dropAfter(run: string, step: number): void {
    this.items = this.items.filter((c) => c.info.run !== run || c.info.step <= step);
    this.last.set(run, step);
  }

  list(): CheckpointInfo[] {
    return this.items.map((c) => c.info);
  }

  clear(): void {
    this.items = [];
    this.last.clear();
  }
}
