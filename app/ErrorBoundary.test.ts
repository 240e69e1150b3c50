import { describe, expect, it } from 'vitest';
import { PanelBoundary, panelErrorText } from './ErrorBoundary';

describe('PanelBoundary', () => {
  it('turns a render error into the failed state, keeping the error', () => {
    const error = new TypeError('boom');
    expect(PanelBoundary.getDerivedStateFromError(error)).toEqual({ error, failed: true });
  });

  it('writes a copyable message naming the panel, the error and where it was thrown, bounded in size', () => {
    const error = new RangeError('Maximum call stack size exceeded');
    error.stack = `RangeError: Maximum call stack size exceeded\n${Array.from({ length: 50 }, (_, i) => `    at f${i} (x.ts:${i}:1)`).join('\n')}`;
    const text = panelErrorText('inspector', error, '\n    at NodeInspector\n    at Inspector\n    at PanelBoundary');
    expect(text.split('\n')[0]).toBe('Wiregrad: the inspector failed. RangeError: Maximum call stack size exceeded');
    expect(text).toContain('    at f0 (x.ts:0:1)');
    expect(text).not.toContain('at f8 ');
    expect(text).toContain('In:\nat NodeInspector\n    at Inspector');
    expect(panelErrorText('canvas', 'x'.repeat(10_000)).length).toBeLessThan(2100);
    expect(panelErrorText('canvas', null)).toBe('Wiregrad: the canvas failed. Error: null');
  });
});
