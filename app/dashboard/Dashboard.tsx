/**
 * The dashboard drawer under the canvas (TensorBoard in the tab): a tab strip that is always
 * visible, and when open the runs beside the chosen view.
 */
import { useReactFlow } from '@xyflow/react';
import { useShallow } from 'zustand/react/shallow';
import { useEditor, useEditorStore } from '../store/context';
import { displayName } from '../store/names';
import { useTraining } from '../training/TrainingContext';
import { ClassifierView } from './ClassifierView';
import { useDashboard, useDashboardStore } from './DashboardContext';
import { HistogramInterval, HistogramsView } from './HistogramsView';
import { ModelSummaryView } from './ModelSummaryView';
import { RunsList } from './RunsList';
import { ScalarControls, ScalarsView } from './ScalarsView';
import type { DashboardTab } from './viewStore';
import './dashboard.css';

const TABS: readonly (readonly [DashboardTab, string])[] = [
  ['scalars', 'Scalars'],
  ['histograms', 'Histograms'],
  ['distributions', 'Distributions'],
  ['model', 'Model'],
  ['classifier', 'Classifier'],
];

/** Names the node where training first went non-finite and frames it on the canvas. */
function NonFiniteBanner() {
  const error = useTraining((s) => (s.error?.code === 'nan' ? s.error : undefined));
  const node = useEditor((s) => (error?.node ? s.doc.nodes.find((n) => n.id === error.node) : undefined));
  const editor = useEditorStore();
  const { fitView } = useReactFlow();
  if (!error) return null;
  return (
    <div className="dash-alert" role="alert">
      <span className="dash-alert-icon" aria-hidden="true">
        ⚠
      </span>
      <span>
        Training paused: a value became non-finite
        {node ? (
          <>
            {' '}
            first at <strong>{displayName(node)}</strong>
          </>
        ) : (
          ''
        )}
        . {error.message}
      </span>
      {node && (
        <button
          type="button"
          className="btn"
          onClick={() => {
            editor.getState().select([node.id]);
            void fitView({ nodes: [{ id: node.id }], duration: 250, maxZoom: 1.2, padding: 0.6 });
          }}
        >
          Show node
        </button>
      )}
    </div>
  );
}

export function Dashboard() {
  const view = useDashboardStore();
  const { open, tab } = useDashboard(useShallow((s) => ({ open: s.open, tab: s.tab })));
  return (
    <section className={`dashboard${open ? ' is-open' : ''}`} aria-label="Dashboard">
      <header className="dash-bar">
        <button type="button" className="dash-toggle" aria-expanded={open} aria-controls="dashboard-body" onClick={() => view.getState().setOpen(!open)}>
          <span aria-hidden="true" className="dash-chevron">
            {open ? '▾' : '▸'}
          </span>{' '}
          Dashboard
        </button>
        <div className="dash-tabs" role="tablist" aria-label="Dashboard views">
          {TABS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`dash-tab-${id}`}
              aria-selected={open && tab === id}
              aria-controls="dashboard-body"
              className={open && tab === id ? 'is-on' : ''}
              onClick={() => view.getState().setTab(id)}
            >
              {label}
            </button>
          ))}
        </div>
        {open && (tab === 'scalars' ? <ScalarControls /> : tab === 'histograms' || tab === 'distributions' ? <HistogramInterval /> : null)}
      </header>
      {open && (
        <div id="dashboard-body" className="dash-body" role="tabpanel" aria-labelledby={`dash-tab-${tab}`}>
          <aside className="dash-side">
            <RunsList />
          </aside>
          <div className="dash-main">
            <NonFiniteBanner />
            {tab === 'scalars' && <ScalarsView />}
            {(tab === 'histograms' || tab === 'distributions') && <HistogramsView mode={tab} />}
            {tab === 'model' && <ModelSummaryView />}
            {tab === 'classifier' && <ClassifierView />}
          </div>
        </div>
      )}
    </section>
  );
}
