/** The studio: toolbar on top; palette, canvas (with probes and the dashboard drawer under it) and inspector side by side. */
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from './canvas/Canvas';
import { Notices } from './canvas/Notices';
import { StatusBar } from './canvas/StatusBar';
import { useCommands } from './commands';
import { Dashboard } from './dashboard/Dashboard';
import { DashboardProvider } from './dashboard/DashboardContext';
import { OpsView } from './probes/OpsView';
import { ProbePanel } from './probes/ProbePanel';
import { Inspector } from './panels/Inspector';
import { Palette } from './panels/Palette';
import { TrainingSlot } from './panels/TrainingSlot';
import { TrainingProvider } from './training/TrainingContext';
import { TrainingPanel } from './training/TrainingPanel';
import { EditorProvider, useEditor, useEditorStore } from './store/context';
import type { EditorStore } from './store/editorStore';
import { ShortcutsDialog } from './toolbar/ShortcutsDialog';
import { Toolbar } from './toolbar/Toolbar';
import { useShortcuts } from './useShortcuts';
import { useThemeAttribute } from './useTheme';

function Studio() {
  const store = useEditorStore();
  const commands = useCommands();
  useShortcuts(store, commands);
  useThemeAttribute(useEditor((s) => s.theme));
  return (
    <div className="studio">
      <Toolbar />
      <div className="workspace">
        <Palette />
        <main className="canvas-area" aria-label="Canvas">
          <div className="canvas-stage">
            <Canvas />
            <ProbePanel />
            <OpsView />
          </div>
          <Notices />
          <Dashboard />
          <StatusBar />
        </main>
        <div className="panel sidebar">
          <Inspector />
          <TrainingSlot>
            <TrainingPanel />
          </TrainingSlot>
        </div>
      </div>
      <ShortcutsDialog />
    </div>
  );
}

export function App({ store }: { store: EditorStore }) {
  return (
    <EditorProvider store={store}>
      <TrainingProvider>
        <ReactFlowProvider>
          <DashboardProvider>
            <Studio />
          </DashboardProvider>
        </ReactFlowProvider>
      </TrainingProvider>
    </EditorProvider>
  );
}
