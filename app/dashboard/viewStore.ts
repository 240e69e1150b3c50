/**
 * Session state of the dashboard and the canvas probes: which views are open and how they are
 * drawn. Never saved with the document and never undone; it decides what the worker samples.
 */
import { createStore } from 'zustand/vanilla';
import type { ObserveConfig, ProbeTarget } from '../../workers/observeTypes';

export type DashboardTab = 'scalars' | 'histograms' | 'distributions' | 'model' | 'classifier' | 'runs';
export type XAxis = 'step' | 'relative' | 'wall';

/** An open probe: what it watches and which of its tensors is shown. */
export interface Probe {
  /** Stable while the probe is open (the target's key changes with the tensor shown). */
  readonly id: string;
  readonly target: ProbeTarget;
  /** Shown in the probe's title. */
  readonly title: string;
  /** Variables of the node that the probe can switch to (`hidden1/kernel`…). */
  readonly variables: readonly string[];
}

/** What the ops overlay shows: a node's lowered ops, or the backward graph of a selection. */
export type OpsRequest = { readonly kind: 'expand'; readonly node: string } | { readonly kind: 'backward'; readonly nodes: readonly string[] };

export interface DashboardView {
  readonly open: boolean;
  readonly tab: DashboardTab;
  /** TensorBoard smoothing weight in [0, 0.99]. */
  readonly smoothing: number;
  readonly logY: boolean;
  readonly xAxis: XAxis;
  /** Histograms sampled every this many steps. */
  readonly histogramEvery: number;
  /** Colour edges by gradient magnitude. */
  readonly edgeGradients: boolean;
  readonly probes: readonly Probe[];
  readonly ops: OpsRequest | undefined;
  setOpen(open: boolean): void;
  setTab(tab: DashboardTab): void;
  patch(p: Partial<Pick<DashboardView, 'smoothing' | 'logY' | 'xAxis' | 'histogramEvery' | 'edgeGradients'>>): void;
  /** Opens a probe (or brings an open one with the same id to the top). */
  openProbe(probe: Probe): void;
  /** Points an open probe at another of its node's tensors (its output when undefined). */
  retarget(id: string, variable: string | undefined): void;
  closeProbe(id: string): void;
  showOps(request: OpsRequest | undefined): void;
}

/** At most this many probes stay open; opening another closes the oldest. */
export const MAX_PROBES = 4;

export function createDashboardView() {
  return createStore<DashboardView>()((set) => ({
    open: false,
    tab: 'scalars',
    smoothing: 0.6,
    logY: false,
    xAxis: 'step',
    histogramEvery: 10,
    edgeGradients: false,
    probes: [],
    ops: undefined,
    setOpen: (open) => set({ open }),
    setTab: (tab) => set({ tab, open: true }),
    patch: (p) => set(p),
    openProbe: (probe) => set((s) => ({ probes: [probe, ...s.probes.filter((p) => p.id !== probe.id)].slice(0, MAX_PROBES) })),
    retarget: (id, variable) =>
      set((s) => ({
        probes: s.probes.map((p) => {
          if (p.id !== id) return p;
          const { variable: _old, ...rest } = p.target;
          // A new key per tensor, so a reading of the previous tensor is never shown as this one.
          return { ...p, target: variable ? { ...rest, key: `${id}@${variable}`, variable } : { ...rest, key: id } };
        }),
      })),
    closeProbe: (id) => set((s) => ({ probes: s.probes.filter((p) => p.id !== id) })),
    showOps: (ops) => set({ ops }),
  }));
}

export type DashboardViewStore = ReturnType<typeof createDashboardView>;

/** What the worker should sample for this view state: only what is on screen. */
export function observeConfigOf(v: Pick<DashboardView, 'open' | 'tab' | 'histogramEvery' | 'edgeGradients' | 'probes'>): ObserveConfig {
  const histograms = v.open && (v.tab === 'histograms' || v.tab === 'distributions');
  const classifier = v.open && v.tab === 'classifier';
  return {
    histogramEvery: histograms ? v.histogramEvery : 0,
    probes: v.probes.map((p) => p.target),
    edgeGradients: v.edgeGradients,
    confusion: classifier,
    decisionBoundary: classifier,
  };
}
