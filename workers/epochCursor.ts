/**
 * Where a run is in its data: the epoch, and the batches of it taken so far. Each epoch's shuffle
 * follows from the seed and the epoch number, so a run continued from a checkpoint (same epoch,
 * same count of batches taken) takes the same next batch it would have taken then.
 */
import { epochBatches } from '../engine/data';

export class EpochCursor {
  epoch = 0;
  /** Batches of the current epoch taken so far. */
  batchInEpoch = 0;
  private batches: Generator<Int32Array> | undefined;

  /** Back to the start of the first epoch. */
  reset(): void {
    this.moveTo(0, 0);
  }

  /** Continue at batch `batchInEpoch` of `epoch` (a checkpoint, a roll back). */
  moveTo(epoch: number, batchInEpoch: number): void {
    this.epoch = epoch;
    this.batchInEpoch = batchInEpoch;
    this.batches = undefined;
  }

  /** Start the current epoch over (another batch size reads the epoch differently). */
  restartEpoch(): void {
    this.moveTo(this.epoch, 0);
  }

  /** The sample indices of the next batch of `train`, moving to the next epoch when one ends. */
  next(train: Int32Array, batchSize: number, seed: number): Int32Array {
    for (;;) {
      if (!this.batches) {
        this.batches = epochBatches(train, batchSize, seed, this.epoch, true);
        // Continuing mid-epoch: the same shuffle, past the batches already taken.
        for (let k = 0; k < this.batchInEpoch; k++) this.batches.next();
      }
      const next = this.batches.next();
      if (!next.done) {
        this.batchInEpoch++;
        return next.value;
      }
      this.moveTo(this.epoch + 1, 0);
    }
  }
}
