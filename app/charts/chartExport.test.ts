import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { chartCsv, chartFileName, chartJson } from './chartExport';
import type { ChartSeries } from './series';

const series: ChartSeries[] = [
  {
    id: 'a',
    label: 'Run 1 · training',
    colour: '#000',
    points: [
      { x: 1, y: 0.5, raw: 0.625, step: 1 },
      { x: 2, y: 0.25, raw: NaN, step: 2 },
    ],
  },
  { id: 'b', label: 'Run "2", copy · validation', colour: '#111', dashed: true, points: [{ x: 10, y: 1e-7, raw: Infinity, step: 10 }] },
];

describe('chart data as CSV and JSON', () => {
  it('CSV reads back with an independent parser (papaparse): every point, labels with commas and quotes intact', () => {
    const parsed = Papa.parse<string[]>(chartCsv(series).trimEnd(), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([
      ['series', 'step', 'x', 'value', 'smoothed'],
      ['Run 1 · training', '1', '1', '0.625', '0.5'],
      ['Run 1 · training', '2', '2', 'NaN', '0.25'],
      ['Run "2", copy · validation', '10', '10', 'Infinity', '1e-7'],
    ]);
    // Numbers round-trip exactly.
    expect(Number(parsed.data[3]![4])).toBe(1e-7);
  });

  it('JSON keeps non-finite values as strings rather than null, and marks validation series', () => {
    const data = JSON.parse(chartJson('Loss', series));
    expect(data.title).toBe('Loss');
    expect(data.series[0].points).toEqual([
      { step: 1, x: 1, value: 0.625, smoothed: 0.5 },
      { step: 2, x: 2, value: 'NaN', smoothed: 0.25 },
    ]);
    expect(data.series[1]).toMatchObject({
      label: 'Run "2", copy · validation',
      validation: true,
      points: [{ step: 10, x: 10, value: 'Infinity', smoothed: 1e-7 }],
    });
    expect(data.series[0].validation).toBeUndefined();
  });

  it('file names come from the title', () => {
    expect(chartFileName('Accuracy (acc)')).toBe('accuracy-acc');
    expect(chartFileName('Steps per second')).toBe('steps-per-second');
    expect(chartFileName('…')).toBe('chart');
  });
});
