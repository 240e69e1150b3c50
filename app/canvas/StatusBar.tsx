/** A line under the canvas: graph size, parameters (and how many are frozen), the memory estimate, and whether the graph is ready to train. */
import { useMemo } from 'react';
import { useEditor } from '../store/context';
import { severityOf, validationOf } from '../store/validation';
import { formatCount } from '../format/tensors';
import { describeParamCounts } from '../../engine/graph/trainable';
import { memoryErrors } from '../../engine/graph/memory';
import { memorySummary } from './memorySummary';
import { useMemoryLimits } from './useMemoryLimits';
import './statusBar.css';

export function StatusBar() {
  const doc = useEditor((s) => s.doc);
  const limits = useMemoryLimits();
  const summary = useMemo(() => {
    const v = validationOf(doc, limits);
    let params = 0;
    let frozen = 0;
    for (const info of v.info.values()) {
      params += info.paramCount;
      frozen += info.frozenParamCount;
    }
    const errors = v.all.filter((e) => severityOf(e) === 'error').length;
    const warnings = v.all.length - errors;
    const memory = v.memory && { ...memorySummary(v.memory), over: memoryErrors(doc, v.memory, limits).length > 0 };
    return { params, frozen, errors, warnings, general: v.general, memory };
  }, [doc, limits]);
  const plural = (n: number, word: string) => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

  let health: string;
  if (doc.nodes.length === 0) health = 'Drag nodes from the palette to start.';
  else if (summary.errors + summary.warnings === 0) health = 'Ready to train';
  else if (summary.general.length > 0 && summary.errors + summary.warnings === summary.general.length) health = summary.general[0].message;
  else health = [summary.errors > 0 && plural(summary.errors, 'error'), summary.warnings > 0 && plural(summary.warnings, 'warning')].filter(Boolean).join(', ');

  const { memory } = summary;
  return (
    <section className="statusbar" aria-label="Graph summary">
      <span>{plural(doc.nodes.length, 'node')}</span>
      <span>{plural(doc.edges.length, 'edge')}</span>
      <span>{describeParamCounts({ trainable: summary.params, frozen: summary.frozen }, formatCount)}</span>
      {memory && doc.nodes.length > 0 && (
        <span className={`memory-estimate${memory.over ? ' is-over' : ''}`} title={memory.detail}>
          <span className="visually-hidden">{memory.detail}: in all </span>
          {memory.text}
          {memory.over && ' (too much)'}
        </span>
      )}
      <span className={`health ${summary.errors > 0 ? 'is-error' : summary.warnings > 0 ? 'is-warning' : 'is-ok'}`}>{health}</span>
    </section>
  );
}
