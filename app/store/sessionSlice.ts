/**
 * Session state: what this tab is doing with the document (selection, viewport, theme, panels,
 * notices, live drag positions). Never saved and never part of undo history.
 */
import type { StateCreator } from 'zustand';
import { idRecord, type Fragment, type XY } from './edits';
import type { EditorState } from './types';

/** A message in the status line near the canvas; errors are announced assertively. */
export interface Notice {
  /** Increases with every notice, so the same text twice still re-announces. */
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly text: string;
}

/** 'system' follows prefers-color-scheme; the toggle overrides it. */
export type Theme = 'system' | 'light' | 'dark';

/** Where autosave is: 'pending' while a write is scheduled or running. */
export type SaveState = 'idle' | 'pending' | 'saved' | 'failed';

export interface Viewport {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

export interface SessionSlice {
  /** Selected node ids. */
  selection: readonly string[];
  /** Selected edge ids. */
  selectedEdges: readonly string[];
  viewport: Viewport;
  theme: Theme;
  shortcutsOpen: boolean;
  notice: Notice | null;
  /** What Ctrl+C copied; pasted with fresh ids. */
  clipboard: Fragment | null;
  /** Positions of nodes being dragged right now; the document gets them once, on drop. */
  dragPositions: Readonly<Record<string, XY>>;
  /** Rendered node sizes reported by the canvas (layout and the minimap need them). */
  measured: Readonly<Record<string, { width: number; height: number }>>;
  /** Bumped when the canvas should fit the whole graph into view (a new document). */
  fitRequest: number;
  saveState: SaveState;

  select(nodeIds: readonly string[], edgeIds?: readonly string[]): void;
  selectAll(): void;
  setViewport(viewport: Viewport): void;
  setTheme(theme: Theme): void;
  setShortcutsOpen(open: boolean): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(): void;
  setDragPositions(positions: Readonly<Record<string, XY>>): void;
  setMeasured(sizes: Readonly<Record<string, { width: number; height: number }>>): void;
  requestFit(): void;
  setSaveState(state: SaveState): void;
}

export const createSessionSlice: StateCreator<EditorState, [['temporal', unknown]], [], SessionSlice> = (set, get) => ({
  selection: [],
  selectedEdges: [],
  viewport: { x: 0, y: 0, zoom: 1 },
  theme: 'system',
  shortcutsOpen: false,
  notice: null,
  clipboard: null,
  // Keyed by node id: prototype-less, so an id like "constructor" or "__proto__" is an entry like any other.
  dragPositions: idRecord(),
  measured: idRecord(),
  fitRequest: 0,
  saveState: 'idle',

  select: (nodeIds, edgeIds = []) => set({ selection: [...new Set(nodeIds)], selectedEdges: [...new Set(edgeIds)] }),
  selectAll: () => set({ selection: get().doc.nodes.map((n) => n.id), selectedEdges: get().doc.edges.map((e) => e.id) }),
  setViewport: (viewport) => set({ viewport }),
  setTheme: (theme) => set({ theme }),
  setShortcutsOpen: (shortcutsOpen) => set({ shortcutsOpen }),
  notify: (kind, text) => set({ notice: { id: (get().notice?.id ?? 0) + 1, kind, text } }),
  dismissNotice: () => set({ notice: null }),
  setDragPositions: (dragPositions) => set({ dragPositions: idRecord(Object.entries(dragPositions)) }),
  setMeasured: (sizes) => set({ measured: idRecord([...Object.entries(get().measured), ...Object.entries(sizes)]) }),
  requestFit: () => set({ fitRequest: get().fitRequest + 1 }),
  setSaveState: (saveState) => set({ saveState }),
});
