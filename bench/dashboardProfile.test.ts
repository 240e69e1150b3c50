import { describe, expect, it } from 'vitest';
import { busyStretches, heapAllocations, longTraceTasks, type CpuProfile, type HeapProfileNode } from './dashboardProfile';

const frame = (functionName: string) => ({ functionName, url: 'http://x/app.js', lineNumber: 0 });

describe('busyStretches', () => {
  // root → work → inner; root → (idle). Samples every 10 ms: idle, 6 × work/inner, idle, 2 × work, idle.
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 4] },
      { id: 2, callFrame: frame('work'), children: [3] },
      { id: 3, callFrame: frame('inner') },
      { id: 4, callFrame: frame('(idle)') },
    ],
    samples: [4, 3, 3, 2, 3, 3, 2, 4, 2, 2, 4],
    timeDeltas: Array(11).fill(10_000),
  };

  it('finds the runs of non-idle samples over the threshold and what ran in them', () => {
    const found = busyStretches(profile, 30);
    expect(found.map((s) => s.ms)).toEqual([60]);
    const top = Object.fromEntries(found[0]!.top.map(([k, ms]) => [k.split(' ')[0], ms]));
    expect(top).toEqual({ '(root)': 60, work: 60, inner: 40 });
    expect(busyStretches(profile, 10).map((s) => s.ms)).toEqual([60, 20]);
  });
});

describe('longTraceTasks', () => {
  const meta = (pid: number, tid: number, name: string) => ({ name: 'thread_name', ph: 'M', ts: 0, pid, tid, args: { name } });
  const x = (name: string, ts: number, dur: number, tid = 1, tdur = dur) => ({ name, ph: 'X', ts, dur, tdur, pid: 7, tid });
  it("lists the main thread's tasks over the threshold with the events inside them", () => {
    const traceEvents = [
      meta(7, 1, 'CrRendererMain'),
      meta(7, 2, 'Compositor'),
      x('RunTask', 0, 80_000),
      x('Paint', 1_000, 30_000),
      x('Layout', 40_000, 20_000),
      x('Paint', 61_000, 5_000),
      x('RunTask', 100_000, 20_000),
      // 90 ms of wall time, 30 of them on the CPU: the OS ran something else.
      x('RunTask', 200_000, 90_000, 1, 30_000),
      x('RunTask', 0, 90_000, 2),
      // A thread time above the wall time (seen in real traces) is capped at the wall time.
      x('RunTask', 300_000, 1_000, 1, 40_000),
    ];
    const tasks = longTraceTasks({ traceEvents }, 50);
    expect(tasks).toEqual([
      {
        ms: 80,
        cpuMs: 80,
        top: [
          ['Paint', 35],
          ['Layout', 20],
        ],
      },
    ]);
    expect(longTraceTasks({ traceEvents }, 25).map((t) => [t.ms, t.cpuMs])).toEqual([
      [80, 80],
      [90, 30],
    ]);
  });
});

describe('heapAllocations', () => {
  const node = (functionName: string, selfSize: number, children: HeapProfileNode[] = []): HeapProfileNode => ({
    callFrame: frame(functionName),
    selfSize,
    children,
  });
  // root → render (100) → path (300) → render (50, recursive); root → watcher (400)
  const head = node('(root)', 0, [node('render', 100, [node('path', 300, [node('render', 50)])]), node('watcher', 400)]);

  it('sums the bytes, by each function and with its callees, a recursive function once per stack', () => {
    const { bytes, self, total } = heapAllocations(head);
    expect(bytes).toBe(850);
    const by = (xs: [string, number][]) => Object.fromEntries(xs.map(([k, v]) => [k.split(' ')[0], v]));
    expect(by(self)).toEqual({ '(root)': 0, render: 150, path: 300, watcher: 400 });
    expect(by(total)).toEqual({ '(root)': 850, render: 450, path: 350, watcher: 400 });
    expect(heapAllocations(head, 1).self.map(([k]) => k.split(' ')[0])).toEqual(['watcher']);
  });
});
