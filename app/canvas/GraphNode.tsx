/** The one node component: title, key settings, typed ports with output shapes, parameter count (and a frozen badge), problems. */
import { Handle, NodeToolbar, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useDashboardStore } from '../dashboard/DashboardContext';
import { useEditorStore } from '../store/context';
import { useOpenConnect } from './connectContext';
import type { GraphFlowNode, PortView } from './flowModel';

function InputPort({ port }: { port: PortView }) {
  return (
    <li className="gnode-port gnode-port-in">
      <Handle type="target" position={Position.Left} id={port.name} title={port.name} aria-label={`input ${port.name}`} />
      <span className="gnode-port-name">{port.name}</span>
      {port.multiple && (
        <span className="gnode-port-hint" title="takes several edges">
          +
        </span>
      )}
    </li>
  );
}

function OutputPort({ port }: { port: PortView }) {
  return (
    <li className="gnode-port gnode-port-out">
      <span className="gnode-shape">{port.type}</span>
      <span className="gnode-port-name">{port.name}</span>
      <Handle type="source" position={Position.Right} id={port.name} title={port.name} aria-label={`output ${port.name}`} />
    </li>
  );
}

/** A padlock: the node's parameters are frozen (its Trainable switch is off). */
function FrozenBadge() {
  return (
    <span className="gnode-frozen" role="img" aria-label="frozen" title="Frozen: Trainable is off, so its parameters keep their values">
      <svg viewBox="0 0 12 14" width="11" height="13" aria-hidden="true">
        <path d="M3.5 6V4a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <rect x="1.5" y="6" width="9" height="7" rx="1.5" fill="currentColor" />
      </svg>
    </span>
  );
}

/**
 * The Connect button over a selected node. Mounted only while its node is selected: React Flow's
 * NodeToolbar subscribes to the viewport and counts the selected nodes on every store change, which
 * on every node at once made each drag frame and pan cost O(nodes²).
 */
function ConnectToolbar({ id, title, composite }: { id: string; title: string; composite: boolean }) {
  const openConnect = useOpenConnect();
  const editor = useEditorStore();
  return (
    // Shown while this node is the only one selected: wiring without dragging a handle.
    <NodeToolbar position={Position.Top} align="end" className="gnode-toolbar">
      <button
        type="button"
        className="btn"
        aria-label={`Connect ${title}…`}
        aria-keyshortcuts="C"
        title="List the ports this node can connect to (C)"
        onClick={() => openConnect(id)}
      >
        Connect… <kbd aria-hidden="true">C</kbd>
      </button>
      {composite && (
        <button
          type="button"
          className="btn"
          aria-label={`Expand ${title} into its parts`}
          aria-keyshortcuts="E"
          title="Replace this block by its parts, wired the same (E)"
          onClick={() => editor.getState().expandNode(id)}
        >
          <span aria-hidden="true">⊞</span> Expand <kbd aria-hidden="true">E</kbd>
        </button>
      )}
    </NodeToolbar>
  );
}

function GraphNodeView({ id, data, selected }: NodeProps<GraphFlowNode>) {
  const dashboard = useDashboardStore();
  return (
    <div className={`gnode cat-${data.category.toLowerCase()}${data.frozen ? ' is-frozen' : ''}`}>
      {selected && <ConnectToolbar id={id} title={data.title} composite={data.composite === true} />}
      <header className="gnode-head">
        {data.probed && <span className="gnode-probe" title="A probe is open on this node" aria-label="probed" role="img" />}
        {data.frozen && <FrozenBadge />}
        <span className="gnode-title">{data.title}</span>
        {/* "Dense 1" already says it is a Dense; "logits" does not. */}
        {!data.title.startsWith(data.typeLabel) && <span className="gnode-type">{data.typeLabel}</span>}
        {data.expandable && (
          <button
            type="button"
            className="gnode-expand nodrag"
            aria-label={`Show the ops of ${data.title}`}
            title="Show the ops this node lowers to"
            onClick={(e) => {
              e.stopPropagation();
              dashboard.getState().showOps({ kind: 'expand', node: id });
            }}
          >
            <span aria-hidden="true">⊞</span>
          </button>
        )}
      </header>
      {data.runtimeError && (
        <p className="gnode-runtime-error" role="alert">
          <span aria-hidden="true">⚠ </span>
          {data.runtimeError}
        </p>
      )}
      {data.summary && <div className="gnode-summary">{data.summary}</div>}
      <div className="gnode-ports">
        <ul className="gnode-inputs" aria-label="Inputs">
          {data.inputs.map((p) => (
            <InputPort key={p.name} port={p} />
          ))}
        </ul>
        <ul className="gnode-outputs" aria-label="Outputs">
          {data.outputs.map((p) => (
            <OutputPort key={p.name} port={p} />
          ))}
        </ul>
      </div>
      {data.params && <div className="gnode-params">{data.params}</div>}
      {data.problems.length > 0 && (
        <ul className="gnode-problems" aria-label="Problems">
          {data.problems.map((p, i) => (
            <li key={i} className={`gnode-problem is-${p.severity}`}>
              <span className="visually-hidden">{p.severity === 'error' ? 'Error: ' : 'Warning: '}</span>
              {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Memoized: React Flow re-renders a node only when its data object changes. */
export const GraphNode = memo(GraphNodeView);
