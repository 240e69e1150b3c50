/**
 * The cost of one live-curve redraw, for `npm run bench:charts`: the page's one chart
 * (app/charts/Chart.tsx) as the training panel draws it (app/training/LossChart.tsx) while training
 * ('recharts-live': lines over a rounded frame) and when paused ('recharts'; before the charts were
 * made one, recharts drew the lines there),
 * and as the dashboard's Scalars tab draws a run (smoothed, two series) while it trains ('svg': the key
 * of the dashboard's chart, which was a hand-written SVG chart before the two were made one) and once
 * it is done ('dashboard-static') are given a growing training history, one update a second (past the
 * curve's redraw throttle), and the longest main-thread task each update causes is recorded.
 */
import { createRoot } from 'react-dom/client';
import { Chart } from '../../app/charts/Chart';
import { Curve } from '../../app/training/LossChart';
import type { MetricPoint, ValidationPoint } from '../../workers/types';
import '../../app/styles.css';
import '../../app/training/training.css';
import '../../app/dashboard/dashboard.css';

const history = (n: number): MetricPoint[] =>
  Array.from({ length: n }, (_v, i) => ({
    step: i + 1,
    epoch: 0,
    time: i,
    loss: 2 * Math.exp(-i / 500) + ((i * 7919) % 100) / 1000,
    lr: 0.01,
    gradNorm: 1,
    metrics: {},
  }));
const validation = (n: number): ValidationPoint[] =>
  Array.from({ length: Math.floor(n / 60) }, (_v, i) => ({ step: (i + 1) * 60, epoch: i, loss: 2 * Math.exp(-(i * 60) / 500) + 0.05, metrics: {} }));
// One trip through the task queue, by message (nested setTimeout(0) would be clamped to 4 ms).
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const turn = () => new Promise<void>((r) => (waiting.push(r), channel.port2.postMessage(0)));
const root = createRoot(document.getElementById('root')!);

function render(chart: string, points: MetricPoint[], val: ValidationPoint[]): void {
  if (chart === 'recharts' || chart === 'recharts-live') {
    root.render(<Curve title="Loss" points={points} validation={val} running={chart === 'recharts-live'} />);
    return;
  }
  // As the Scalars tab draws one run: its whole history, smoothed, thinned to 600 points.
  const curves = [
    { id: 't', label: 'Run 1 · training', colour: '#ff7043', points: points.map((p) => ({ x: p.step, step: p.step, value: p.loss })) },
    { id: 'v', label: 'Run 1 · validation', colour: '#ff7043', dashed: true, points: val.map((p) => ({ x: p.step, step: p.step, value: p.loss })) },
  ];
  root.render(<Chart title="Loss" className="dash-card" curves={curves} smoothing={0.6} logY formatX={String} maxPoints={600} live={chart === 'svg'} />);
}

/**
 * The longest main-thread task in the `windowMs` after an update: a loop of message turns runs
 * meanwhile, and the widest gap between two turns is the longest task that ran between them.
 */
async function longestTaskAfter(update: () => void, windowMs = 400): Promise<number> {
  let last = performance.now();
  const end = last + windowMs;
  let longest = 0;
  update();
  while (last < end) {
    await turn();
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }
  return longest;
}

/** The longest task each redraw of `chart` ('recharts-live', 'recharts', 'svg' or 'dashboard-static') caused, `updates` times, the first (mount) left out. */
async function run(chart: string, points: number, updates: number): Promise<number[]> {
  const times: number[] = [];
  for (let u = 0; u <= updates; u++) {
    const n = points + u * 10;
    const [p, v] = [history(n), validation(n)];
    // Past the curve's redraw throttle, so every update redraws.
    await new Promise((r) => setTimeout(r, 1100));
    const longest = await longestTaskAfter(() => render(chart, p, v));
    if (u > 0) times.push(longest);
  }
  return times;
}

(window as unknown as { benchCharts: typeof run }).benchCharts = run;
