/** The inspector for one node: label, params (validated), the Trainable switch, output shapes, parameter count and problems. */
import { useCallback, useMemo } from 'react';
import type { DocNode } from '../../engine/graph/document';
import { getNodeSpec } from '../../engine/graph/nodes';
import { formatParamCount, formatType } from '../format/tensors';
import { useEditor, useEditorStore } from '../store/context';
import { updateParams } from '../store/edits';
import { displayName } from '../store/names';
import { messageOnNode, severityOf, validationOf } from '../store/validation';
import { useMemoryLimits } from '../canvas/useMemoryLimits';
import { LabelField } from './LabelField';
import { ParamField } from './ParamField';
import { TrainableSwitch } from './TrainableSwitch';
import { fieldsFor } from './paramFields';

export function NodeInspector({ node }: { node: DocNode }) {
  const store = useEditorStore();
  const doc = useEditor((s) => s.doc);
  const spec = getNodeSpec(node.type);
  const limits = useMemoryLimits();
  const validation = validationOf(doc, limits);
  const info = validation.info.get(node.id);
  const problems = validation.byNode.get(node.id) ?? [];

  // Show defaults for params the document leaves out; fall back to the raw values if they do not parse.
  const values = useMemo(() => {
    const parsed = spec?.params.safeParse(node.params);
    return { ...(parsed?.success ? (parsed.data as Record<string, unknown>) : {}), ...node.params };
  }, [spec, node.params]);
  const fields = useMemo(() => fieldsFor(spec?.params, values), [spec, values]);

  const check = useCallback(
    (key: string, value: unknown) => {
      const result = updateParams(store.getState().doc, node.id, { [key]: value });
      return result.ok ? undefined : result.reason.replace(new RegExp(`^${key}: `), '');
    },
    [store, node.id],
  );
  const commit = useCallback((key: string, value: unknown) => void store.getState().updateParams(node.id, { [key]: value }), [store, node.id]);

  return (
    <div className="inspector-node">
      <div className="inspector-heading">
        <h3 className="inspector-title">{displayName(node)}</h3>
        <p className="muted small">
          {spec?.label ?? node.type} · <code>{node.id}</code>
        </p>
        {spec && <p className="small">{spec.description}</p>}
      </div>
      <LabelField key={node.id} value={node.label ?? ''} placeholder={node.id} onCommit={(label) => store.getState().rename(node.id, label)} />
      {fields.length > 0 && (
        <fieldset className="fieldset">
          <legend className="section-title">Parameters</legend>
          {fields.map((f) => (
            <ParamField key={`${node.id}:${f.key}`} field={f} value={values[f.key]} check={check} commit={commit} />
          ))}
        </fieldset>
      )}
      {info && info.paramCount + info.frozenParamCount > 0 && (
        <TrainableSwitch
          trainable={!info.frozenParamCount}
          params={info.paramCount + info.frozenParamCount}
          onChange={(on) => store.getState().setTrainable(node.id, on)}
        />
      )}
      <section className="inspector-section" aria-label="Outputs">
        <h4 className="section-title">Outputs</h4>
        <dl className="kv">
          {(spec?.outputs ?? []).map((p) => (
            <div key={p.name}>
              <dt>{p.name}</dt>
              {info ? <dd className="mono">{formatType(info.outputs[p.name])}</dd> : <dd className="muted">unknown until its inputs are connected</dd>}
            </div>
          ))}
          {info && info.paramCount > 0 && (
            <div>
              <dt>trainable</dt>
              <dd>{formatParamCount(info.paramCount)}</dd>
            </div>
          )}
          {info && info.frozenParamCount > 0 && (
            <div>
              <dt>frozen</dt>
              <dd>{formatParamCount(info.frozenParamCount)}</dd>
            </div>
          )}
        </dl>
      </section>
      {problems.length > 0 && (
        <section className="inspector-section" aria-label="Problems">
          <h4 className="section-title">Problems</h4>
          <ul className="problem-list">
            {problems.map((p, i) => (
              <li key={i} className={`is-${severityOf(p)}`}>
                {messageOnNode(p, node)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
