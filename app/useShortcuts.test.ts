import { describe, expect, it } from 'vitest';
import { shortcutFor } from './useShortcuts';

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {}) =>
  shortcutFor({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('keyboard shortcuts', () => {
  it('map keys to editor actions on Windows/Linux and macOS', () => {
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('z', { metaKey: true })).toBe('undo');
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('c', { metaKey: true })).toBe('copy');
    expect(key('v', { ctrlKey: true })).toBe('paste');
    expect(key('a', { ctrlKey: true })).toBe('selectAll');
    expect(key('Delete')).toBe('delete');
    expect(key('Backspace')).toBe('delete');
    expect(key('?', { shiftKey: true })).toBe('help');
    expect(key('Escape')).toBe('escape');
  });

  it('leaves other keys alone', () => {
    expect(key('z')).toBeUndefined();
    expect(key('a')).toBeUndefined();
    expect(key('z', { ctrlKey: true, altKey: true })).toBeUndefined();
    expect(key('Delete', { ctrlKey: true })).toBeUndefined();
  });
});
