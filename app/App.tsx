/** The studio: toolbar on top; palette, canvas (with probes and the dashboard drawer under it) and inspector side by side. */
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { Notices } from './canvas/Notices';
import { StatusBar } from './canvas/StatusBar';
import { useCommands } from './commands';
import { Dashboard } from './dashboard/Dashboard';
import { DashboardProvider } from './dashboard/DashboardContext';
import { PanelBoundary } from './ErrorBoundary';
import { AutosaveNotices } from './files/AutosaveNotices';
import type { AutosaveStatusStore } from './files/autosaveStatus';
import { OpsView } from './probes/OpsView';
import { ProbePanel } from './probes/ProbePanel';
import { Inspector } from './panels/Inspector';
import { Palette } from './panels/Palette';
import { TrainingSlot } from './panels/TrainingSlot';
import { TrainingProvider } from './training/TrainingContext';
import { DatasetSection } from './data/DatasetSection';
import { GenerationPanel } from './generation/GenerationPanel';
import { InferencePanel } from './inference/InferencePanel';
import { TrainingPanel } from './training/TrainingPanel';
import { EditorProvider, useEditor, useEditorStore } from './store/context';
import type { EditorStore } from './store/editorStore';
import { ShortcutsDialog } from './toolbar/ShortcutsDialog';
import { Toolbar } from './toolbar/Toolbar';
import { useShortcuts } from './useShortcuts';
import { useThemeAttribute } from './useTheme';

// Each view sits in its own PanelBoundary: one that throws shows its error in place, the rest keep working.
function Studio({ autosave }: { autosave: AutosaveStatusStore }) {
  const store = useEditorStore();
  const commands = useCommands();
  useShortcuts(store, commands);
  useThemeAttribute(useEditor((s) => s.theme));
  return (
    <div className="studio">
      <PanelBoundary name="toolbar">
        <Toolbar />
      </PanelBoundary>
      <div className="workspace">
        <PanelBoundary name="palette">
          <Palette />
        </PanelBoundary>
        <main className="canvas-area" aria-label="Canvas">
          <PanelBoundary name="canvas">
            <div className="canvas-stage">
              <Canvas />
              <PanelBoundary name="probes">
                <ProbePanel />
                <OpsView />
              </PanelBoundary>
            </div>
          </PanelBoundary>
          <PanelBoundary name="notices">
            <Notices />
          </PanelBoundary>
          <PanelBoundary name="dashboard">
            <Dashboard />
          </PanelBoundary>
          <PanelBoundary name="status bar">
            <StatusBar />
          </PanelBoundary>
        </main>
        <div className="panel sidebar">
          <PanelBoundary name="inspector">
            <Inspector />
          </PanelBoundary>
          <TrainingSlot>
            <PanelBoundary name="training panel">
              <TrainingPanel dataset={(set) => <DatasetSection set={set} />} />
            </PanelBoundary>
          </TrainingSlot>
          <PanelBoundary name="inference panel">
            <InferencePanel />
          </PanelBoundary>
          <PanelBoundary name="generation panel">
            <GenerationPanel />
          </PanelBoundary>
        </div>
      </div>
      <PanelBoundary name="shortcuts dialog">
        <ShortcutsDialog />
      </PanelBoundary>
      <PanelBoundary name="autosave notices">
        <AutosaveNotices status={autosave} />
      </PanelBoundary>
    </div>
  );
}

export function App({ store, autosave }: { store: EditorStore; autosave: AutosaveStatusStore }) {
  return (
    <PanelBoundary name="studio">
      <EditorProvider store={store}>
        <TrainingProvider>
          <ReactFlowProvider>
            <DashboardProvider>
              <Studio autosave={autosave} />
            </DashboardProvider>
          </ReactFlowProvider>
        </TrainingProvider>
      </EditorProvider>
    </PanelBoundary>
  );
}
