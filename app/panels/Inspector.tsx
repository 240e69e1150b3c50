/** The right-hand inspector: edits the selected node, or says what to do when none (or many) are selected. */
import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../store/context';
import { NodeInspector } from './NodeInspector';

export function Inspector() {
  const selected = useEditor(useShallow((s) => s.doc.nodes.filter((n) => s.selection.includes(n.id))));
  return (
    <section className="panel-section inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title" className="panel-title">
        Inspector
      </h2>
      {selected.length === 1 ? (
        <NodeInspector node={selected[0]} />
      ) : selected.length > 1 ? (
        <p className="muted">{selected.length} nodes selected. Press Delete to remove them, or Ctrl+C to copy.</p>
      ) : (
        <p className="muted">Select a node to edit its label and parameters.</p>
      )}
    </section>
  );
}
