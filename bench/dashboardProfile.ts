/**
 * Where the dashboard bench's long main-thread tasks go: the busy stretches of a CDP CPU profile
 * (consecutive samples that are not "(idle)") longer than a threshold, each with the functions that
 * took the most time inside it. Used by bench/dashboard.ts when BENCH_PROFILE names a folder.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
/** The Profiler domain's profile (the parts read here). */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** One busy stretch: its length and the functions with the most total time in it. */
export interface Stretch {
  ms: number;
  /** For a trace's task: the time the thread ran it (wall time less time the OS gave to other processes). */
  cpuMs?: number;
  top: [string, number][];
}

/** Busy stretches over `minMs`, longest first, each with its `top` functions by total time. */
export function busyStretches(profile: CpuProfile, minMs: number, top = 12): Stretch[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
  const idle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
  const stretches: Stretch[] = [];
  let start = -1;
  const close = (end: number) => {
    let ms = 0;
    const total = new Map<string, number>();
    // A sample's delta is the time since the previous sample: the time the sample stands for ends at it.
    for (let i = start; i < end; i++) {
      const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
      ms += dt;
      const seen = new Set<string>();
      for (let cur: number | undefined = profile.samples[i]; cur !== undefined; cur = parent.get(cur)) {
        const k = key(byId.get(cur)!);
        if (seen.has(k)) continue;
        seen.add(k);
        total.set(k, (total.get(k) ?? 0) + dt);
      }
    }
    if (ms >= minMs) stretches.push({ ms, top: [...total].sort((a, b) => b[1] - a[1]).slice(0, top) });
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const busy = !idle(profile.samples[i]!);
    if (busy && start < 0) start = i;
    if (!busy && start >= 0) {
      close(i);
      start = -1;
    }
  }
  if (start >= 0) close(profile.samples.length);
  return stretches.sort((a, b) => b.ms - a.ms);
}

/** The stretches as text, one block each. */
export function formatStretches(stretches: Stretch[], max = 8): string {
  return stretches
    .slice(0, max)
    .map(
      (s) =>
        `busy ${s.ms.toFixed(1)} ms${s.cpuMs === undefined ? '' : ` (thread time ${s.cpuMs.toFixed(1)} ms)`}\n${s.top.map(([k, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${k}`).join('\n')}`,
    )
    .join('\n');
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread time: the part of `dur` the thread was on a CPU. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string } };
}

/**
 * The renderer main thread's tasks over `minMs` of thread time in a Chrome trace (devtools.timeline),
 * longest first, each with the events inside it (style, layout, paint, script by function) summed by name.
 * Thread time, not wall time: on a loaded machine a task's wall time includes the time the OS ran others.
 * (A few short tasks report a thread time above their wall time, a clock artefact: the smaller one counts.)
 */
export function longTraceTasks(trace: { traceEvents: TraceEvent[] }, minMs: number, top = 10): Stretch[] {
  const events = trace.traceEvents;
  const main = new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && Math.min(e.dur ?? 0, e.tdur ?? Infinity) >= minMs * 1000);
  return tasks
    .map((t) => {
      const inside = new Map<string, number>();
      for (const e of onMain) {
        if (e === t || e.tid !== t.tid || e.pid !== t.pid || e.ts < t.ts || e.ts > t.ts + t.dur!) continue;
        const what =
          e.name === 'FunctionCall' && e.args?.data?.functionName
            ? `FunctionCall ${e.args.data.functionName} ${e.args.data.url?.split('/').pop() ?? ''}`
            : e.name;
        inside.set(what, (inside.get(what) ?? 0) + (e.dur ?? 0) / 1000);
      }
      return { ms: t.dur! / 1000, cpuMs: Math.min(t.dur!, t.tdur ?? t.dur!) / 1000, top: [...inside].sort((a, b) => b[1] - a[1]).slice(0, top) };
    })
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/** A node of a sampling heap profile (CDP HeapProfiler.stopSampling): bytes allocated by its frame itself, and its callees. */
export interface HeapProfileNode {
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

/** Bytes allocated in all, and the functions that allocated most: by themselves (self) and with their callees (total, once per stack). */
export function heapAllocations(head: HeapProfileNode, top = 20): { bytes: number; self: [string, number][]; total: [string, number][] } {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  const walk = (n: HeapProfileNode, stack: ReadonlySet<string>): number => {
    const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}`;
    add(self, k, n.selfSize);
    const inner = new Set(stack).add(k);
    let sum = n.selfSize;
    for (const c of n.children) sum += walk(c, inner);
    if (!stack.has(k)) add(total, k, sum);
    return sum;
  };
  const bytes = walk(head, new Set());
  const largest = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { bytes, self: largest(self), total: largest(total) };
}

/** heapAllocations as lines of MB. */
export function formatAllocations({ bytes, self, total }: ReturnType<typeof heapAllocations>, max = 15): string {
  const rows = (xs: [string, number][]) => xs.slice(0, max).map(([k, v]) => `  ${(v / 1e6).toFixed(2).padStart(7)} MB  ${k}`);
  return [`${(bytes / 1e6).toFixed(1)} MB allocated`, 'by the function itself:', ...rows(self), 'with its callees:', ...rows(total)].join('\n');
}
