/**
 * A panel over the canvas drawing op-level graphs: the ops a layer node lowers to, or the backward
 * graph autodiff generated for the selected nodes (read from the compiled program in the worker).
 */
import { useEffect, useMemo, useState } from 'react';
import type { OpView } from '../../engine/compile/program';
import { useDashboard, useDashboardStore } from '../dashboard/DashboardContext';
import { formatType } from '../format/tensors';
import { useEditor } from '../store/context';
import { displayName } from '../store/names';
import { useTraining, useTrainingHandle } from '../training/TrainingContext';
import { backwardOf, expandNode, type OpBox } from './opGraph';

const BOX = { w: 150, h: 40, gapX: 46, gapY: 14, pad: 16 };

function OpDiagram({ boxes, label }: { boxes: readonly OpBox[]; label: string }) {
  const pos = new Map(boxes.map((b) => [b.id, { x: BOX.pad + b.column * (BOX.w + BOX.gapX), y: BOX.pad + b.row * (BOX.h + BOX.gapY) }]));
  const width = BOX.pad * 2 + (Math.max(0, ...boxes.map((b) => b.column)) + 1) * (BOX.w + BOX.gapX);
  const height = BOX.pad * 2 + (Math.max(0, ...boxes.map((b) => b.row)) + 1) * (BOX.h + BOX.gapY);
  return (
    <svg width={width} height={height} role="img" aria-label={label}>
      {boxes.flatMap((b) =>
        b.inputs.map((i) => {
          const from = pos.get(i);
          const to = pos.get(b.id)!;
          if (!from) return null;
          const [x1, y1, x2, y2] = [from.x + BOX.w, from.y + BOX.h / 2, to.x, to.y + BOX.h / 2];
          return (
            <path
              key={`${i}-${b.id}`}
              className="op-edge"
              d={`M${x1},${y1} C${x1 + BOX.gapX / 2},${y1} ${x2 - BOX.gapX / 2},${y2} ${x2},${y2}`}
              markerEnd="url(#op-arrow)"
            />
          );
        }),
      )}
      <defs>
        <marker id="op-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M0,0 L8,4 L0,8 z" fill="var(--edge)" />
        </marker>
      </defs>
      {boxes.map((b) => {
        const p = pos.get(b.id)!;
        return (
          <g key={b.id} className={`op-box is-${b.phase}`} transform={`translate(${p.x},${p.y})`} data-op={b.label}>
            <title>{`${b.label}${b.detail ? ` (${b.detail})` : ''} → ${formatType({ shape: [...b.shape], dtype: 'f32' })}`}</title>
            <rect width={BOX.w} height={BOX.h} rx={6} />
            <text x={8} y={16}>
              {b.label.length > 20 ? `${b.label.slice(0, 19)}…` : b.label}
            </text>
            <text x={8} y={31} className="op-shape">
              {b.detail ? `${b.detail.slice(0, 22)} ` : ''}[{b.shape.join(', ')}]
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function OpsView() {
  const request = useDashboard((s) => s.ops);
  const view = useDashboardStore();
  const doc = useEditor((s) => s.doc);
  const { client } = useTrainingHandle();
  const step = useTraining((s) => s.status.step);
  const [compiled, setCompiled] = useState<OpView[] | undefined>(undefined);
  const name = useMemo(() => {
    const byId = new Map(doc.nodes.map((n) => [n.id, displayName(n)]));
    return (id: string) => byId.get(id) ?? id;
  }, [doc]);

  useEffect(() => {
    if (request?.kind !== 'backward') return;
    let live = true;
    client()
      .api.opGraph()
      .then(
        (ops) => live && setCompiled(ops),
        () => live && setCompiled([]),
      );
    return () => {
      live = false;
    };
  }, [request, client, step]);

  const boxes = useMemo(() => {
    if (!request) return [];
    if (request.kind === 'expand') return doc.nodes.some((n) => n.id === request.node) ? expandNode(doc, request.node, name) : [];
    return compiled ? backwardOf(compiled, request.nodes, name) : [];
  }, [request, doc, compiled, name]);

  if (!request) return null;
  const title = request.kind === 'expand' ? `Ops of ${name(request.node)}` : `Backward graph of ${request.nodes.map(name).join(', ')}`;
  const empty =
    request.kind === 'expand'
      ? 'This node lowers to no ops (its inputs may not be connected yet).'
      : compiled === undefined
        ? 'Reading the compiled program…'
        : compiled.length === 0
          ? 'Train or step once: the backward graph is read from the compiled program.'
          : 'Autodiff made no backward ops for this selection (no gradient flows through it).';
  return (
    <section className="ops-view" aria-label={title}>
      <header className="ops-head">
        <h3>{title}</h3>
        {request.kind === 'expand' && (
          <button type="button" className="btn" onClick={() => view.getState().showOps({ kind: 'backward', nodes: [request.node] })}>
            Backward graph
          </button>
        )}
        {request.kind === 'backward' && request.nodes.length === 1 && (
          <button type="button" className="btn" onClick={() => view.getState().showOps({ kind: 'expand', node: request.nodes[0]! })}>
            Forward ops
          </button>
        )}
        <button type="button" className="btn btn-icon" aria-label="Close ops view" onClick={() => view.getState().showOps(undefined)}>
          <span aria-hidden="true">×</span>
        </button>
      </header>
      <div className="ops-body">{boxes.length ? <OpDiagram boxes={boxes} label={title} /> : <p className="dash-empty muted">{empty}</p>}</div>
      <footer className="ops-foot">
        <span className="ops-key">
          <i style={{ background: 'var(--surface)', border: '1px solid var(--cat-ops)' }} />
          forward op
        </span>
        <span className="ops-key">
          <i style={{ background: 'var(--warning-soft)', border: '1px solid var(--warning)' }} />
          backward op (autodiff)
        </span>
        <span className="ops-key">
          <i style={{ background: 'var(--surface-2)', border: '1px dashed var(--border-strong)' }} />
          value from outside
        </span>
        <span>{boxes.filter((b) => b.phase !== 'leaf').length} ops</span>
      </footer>
    </section>
  );
}
