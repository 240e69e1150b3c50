import { describe, expect, it } from 'vitest';
import { InFlightSteps, MAX_IN_FLIGHT } from './inFlight';

/** A device whose steps the test finishes by hand, on a clock the test moves. */
function fakeDevice() {
  let clock = 0;
  const pending: (() => void)[] = [];
  return {
    now: () => clock,
    step: () => new Promise<void>((resolve) => pending.push(resolve)),
    finishOldest: async (ms: number) => {
      clock += ms;
      pending.shift()!();
      for (let i = 0; i < 4; i++) await Promise.resolve();
    },
  };
}

/** Whether `p` resolves within a few event-loop turns (a promise waiting on an unfinished step never does). */
async function settlesSoon(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 20));
  return done;
}

describe('InFlightSteps', () => {
  it('has room for two quick steps, and for a third once the first finished', async () => {
    const device = fakeDevice();
    const steps = new InFlightSteps(device.now);
    await steps.room();
    steps.add(device.step());
    expect(await settlesSoon(steps.room())).toBe(true);
    steps.add(device.step());
    const third = steps.room();
    expect(await settlesSoon(third)).toBe(false);
    await device.finishOldest(5);
    expect(await settlesSoon(third)).toBe(true);
    expect(steps.lastStepMs).toBe(5);
    expect(steps.limit).toBe(MAX_IN_FLIGHT);
  });

  it('has room for one step at a time once a step took long, and for two again when steps are quick', async () => {
    const device = fakeDevice();
    const steps = new InFlightSteps(device.now);
    steps.add(device.step());
    steps.add(device.step());
    await device.finishOldest(300);
    expect(steps.lastStepMs).toBe(300);
    expect(steps.limit).toBe(1);
    // One step is still queued: no room until it finished too.
    const next = steps.room();
    expect(await settlesSoon(next)).toBe(false);
    // Measured from the end of the step before it, not from its own (earlier) submit.
    await device.finishOldest(2);
    expect(await settlesSoon(next)).toBe(true);
    expect(steps.lastStepMs).toBe(2);
    expect(steps.limit).toBe(MAX_IN_FLIGHT);
    steps.add(device.step());
    expect(await settlesSoon(steps.room())).toBe(true);
  });

  it('starts from the step time another program measured on the same device', async () => {
    const device = fakeDevice();
    const timing = {};
    const before = new InFlightSteps(device.now, timing);
    before.add(device.step());
    await device.finishOldest(400);
    const after = new InFlightSteps(device.now, timing);
    expect(after.limit).toBe(1);
    after.add(device.step());
    expect(await settlesSoon(after.room())).toBe(false);
  });

  it('counts a rejected step (a lost device) as finished, so nothing waits on it for ever', async () => {
    const steps = new InFlightSteps(() => 0);
    for (let i = 0; i < 3; i++) steps.add(Promise.reject(new Error('device lost')));
    expect(await settlesSoon(steps.room())).toBe(true);
    expect(steps.lastStepMs).toBe(0);
  });
});
