/** Applies the theme choice to <html data-theme>; 'system' leaves it to prefers-color-scheme. Remembered per browser. */
import { useEffect } from 'react';
import type { Theme } from './store/sessionSlice';

const KEY = 'wiregrad.theme';

/** The theme this browser chose last time, or 'system'. */
export function storedTheme(): Theme {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' ? t : 'system';
  } catch {
    return 'system';
  }
}

export function useThemeAttribute(theme: Theme): void {
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, theme);
    } catch {
      // Storage may be off (private mode); the choice then lasts for this tab only.
    }
  }, [theme]);
}
