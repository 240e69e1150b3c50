/**
 * Backpressure for steps submitted to a device without reading anything back: a step waits for room
 * before it is submitted. Two may be queued while steps are quick, so the device never waits for
 * the next submit; one when a step takes long (a large model, a software GPU), because there the
 * few milliseconds of encoding the next step cost little and a second queued step would add a whole
 * step of latency to every pause, hot edit or roll back, which first waits for the queue to empty.
 */

/** At most this many steps queued while steps are quick. */
export const MAX_IN_FLIGHT = 2;
/**
 * A step the device takes at least this long over is slow: then one step is queued at most. Below it
 * the idle moment between steps (the next submit waits for the last one to finish) would cost a few
 * per cent of throughput, and a second queued step adds little latency.
 */
export const SLOW_STEP_MS = 200;

/** What one device's steps took; kept per device, so a program compiled after an edit starts from what the last one measured. */
export interface StepTiming {
  /** The device time of the latest finished step (ms; from its submit or the previous step's end, whichever came later). */
  lastStepMs?: number;
}

export class InFlightSteps {
  private readonly queue: Promise<void>[] = [];
  private lastDone = -Infinity;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly timing: StepTiming = {},
  ) {}

  get lastStepMs(): number | undefined {
    return this.timing.lastStepMs;
  }

  /** How many steps may be queued at once now. */
  get limit(): number {
    return this.lastStepMs !== undefined && this.lastStepMs >= SLOW_STEP_MS ? 1 : MAX_IN_FLIGHT;
  }

  /** Resolves when another step may be submitted (fewer than `limit` queued). */
  async room(): Promise<void> {
    while (this.queue.length >= this.limit) await this.queue.shift();
  }

  /** Track a step just submitted: `done` resolves when the device has finished it (a rejection counts as finished). */
  add(done: Promise<unknown>): void {
    const submitted = this.now();
    this.queue.push(
      done.then(
        () => this.finished(submitted),
        () => this.finished(submitted),
      ),
    );
  }

  private finished(submitted: number): void {
    const t = this.now();
    this.timing.lastStepMs = t - Math.max(submitted, this.lastDone);
    this.lastDone = t;
  }
}
