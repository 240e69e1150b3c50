/**
 * What the page tells the person about autosave beyond the toolbar's one word: an autosave that
 * could not be read (kept aside, offered for download) and the reason writes fail. A store of its
 * own, made in main.tsx and handed to the App, so autosave needs nothing from the editor's slices.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { UNREADABLE_PREFIX, type Restored } from './autosave';
import type { OtherTabs } from './otherTabs';
import type { Held } from './autosaveHeld';

/** An autosave that could not be read, as the notice shows it. */
export type Unreadable = Extract<Restored, { kind: 'unreadable' }>;

export interface AutosaveStatus {
  /** Shown until dismissed; the stored copy stays either way. */
  unreadable: Unreadable | null;
  /** Why the last write failed, in words; null once a write works again or it is dismissed. */
  failure: string | null;
  /** Autosave could not read its storage, so it is off for this visit (it must not write over what it could not read). */
  off: string | null;
  /** Another tab saved this graph while this tab had edits of its own: the choice to make (autosave waits for it). */
  otherTab: Pick<OtherTabs, 'takeTheirs' | 'keepMine'> | null;
  /** A version a tab kept aside when it went while waiting for that choice: offered until opened or dismissed. */
  held: Held | null;
  setUnreadable(unreadable: Unreadable | null): void;
  /** Hides the unreadable-autosave notice and stops offering its copy on later visits (the copy stays). */
  dismissUnreadable(): void;
  setFailure(failure: string | null): void;
  setOff(reason: string | null): void;
  setOtherTab(otherTab: AutosaveStatus['otherTab']): void;
  setHeld(held: Held | null): void;
  /** Hides the held-version notice and stops offering it on later visits (the record stays). */
  dismissHeld(): void;
}

export type AutosaveStatusStore = StoreApi<AutosaveStatus>;

/** `forget(key)` stops offering the kept copy under `key` on later visits; `forgetHeld(key)` the held version. */
export function createAutosaveStatus(forget: (key: string) => void = () => {}, forgetHeld: (key: string) => void = () => {}): AutosaveStatusStore {
  return createStore<AutosaveStatus>()((set, get) => ({
    unreadable: null,
    failure: null,
    off: null,
    otherTab: null,
    held: null,
    setUnreadable: (unreadable) => set({ unreadable }),
    dismissUnreadable: () => {
      const key = get().unreadable?.keptAs;
      if (key !== undefined) forget(key);
      set({ unreadable: null });
    },
    setFailure: (failure) => set({ failure }),
    setOff: (off) => set({ off }),
    setOtherTab: (otherTab) => set({ otherTab }),
    setHeld: (held) => set({ held }),
    dismissHeld: () => {
      const key = get().held?.key;
      if (key !== undefined) forgetHeld(key);
      set({ held: null });
    },
  }));
}

/** The file name a held version downloads as: "held-graph-2026-12-04T15-48-23-123Z-k3x9a1.json". */
export function heldFileName(held: Held): string {
  return `held-graph-${held.key.slice(held.key.lastIndexOf('/') + 1).replace(/[:.]/g, '-')}.json`;
}

/** The file name an unreadable autosave downloads as: "autosave-2026-12-04T15-48-23.json". */
export function unreadableFileName(unreadable: Unreadable): string {
  const stamp = (unreadable.keptAs?.slice(UNREADABLE_PREFIX.length) ?? new Date().toISOString()).replace(/[:.]/g, '-');
  return `unreadable-autosave-${stamp}.json`;
}
