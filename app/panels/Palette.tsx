/** The node palette: every node type by category, searchable; drag an item onto the canvas, or press Enter on it. */
import { useDeferredValue, useId, useMemo, useState, type DragEvent } from 'react';
import { CATEGORIES, NODE_SPECS } from '../../engine/graph/nodes';
import type { NodeSpec } from '../../engine/graph/spec';
import { NODE_DRAG_TYPE } from '../canvas/useFlowHandlers';
import { useCommands } from '../commands';
import { matchSpecs } from './paletteSearch';

function startDrag(event: DragEvent, type: string) {
  event.dataTransfer.setData(NODE_DRAG_TYPE, type);
  event.dataTransfer.setData('text/plain', type);
  event.dataTransfer.effectAllowed = 'copy';
}

function PaletteItem({ spec, onAdd }: { spec: NodeSpec; onAdd: (type: string) => void }) {
  return (
    <li>
      <button
        type="button"
        className={`palette-item cat-${spec.category.toLowerCase()}`}
        draggable
        onDragStart={(e) => startDrag(e, spec.type)}
        onClick={() => onAdd(spec.type)}
        title={`${spec.description}\nDrag onto the canvas, or press Enter to add it in the middle.`}
      >
        {spec.label}
      </button>
    </li>
  );
}

export function Palette() {
  const [query, setQuery] = useState('');
  const deferred = useDeferredValue(query);
  const { addAtCentre } = useCommands();
  const baseId = useId();
  const groups = useMemo(() => {
    const found = matchSpecs(Object.values(NODE_SPECS), deferred);
    return CATEGORIES.map((category) => ({ category, specs: found.filter((s) => s.category === category) })).filter((g) => g.specs.length > 0);
  }, [deferred]);

  return (
    <aside className="panel palette" aria-label="Node palette">
      <div className="panel-head">
        <h2 className="panel-title">Nodes</h2>
        <input
          type="search"
          className="input palette-search"
          placeholder="Search nodes…"
          aria-label="Search nodes"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <div className="panel-body">
        {groups.length === 0 && <p className="muted">No node matches “{query}”.</p>}
        {groups.map(({ category, specs }) => (
          <section key={category} className="palette-group" aria-labelledby={`${baseId}-${category}`}>
            <h3 id={`${baseId}-${category}`} className="palette-group-title">
              {category}
            </h3>
            <ul className="palette-list">
              {specs.map((spec) => (
                <PaletteItem key={spec.type} spec={spec} onAdd={addAtCentre} />
              ))}
            </ul>
          </section>
        ))}
      </div>
    </aside>
  );
}
