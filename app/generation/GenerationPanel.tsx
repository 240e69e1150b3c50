/**
 * "Generate": for a sequence model (token ids in, logits per position out), type a prompt and sample
 * a continuation from the weights the run holds now — with temperature and top-k, while training goes
 * on — or, for a synthetic task, decode greedily and see the exact-match accuracy over validation.
 * The worker owns the tensors (workers/generate.ts); the page sends text and gets tokens back.
 */
import { useState, type FormEvent } from 'react';
import type { GenerateInfo } from '../../workers/generate';
import { useEditor } from '../store/context';
import { GreedyView } from './GreedyView';
import { useGeneration, type Sampling } from './useGeneration';
import './generation.css';

export function GenerationPanel() {
  const kind = useEditor((s) => s.doc.training.dataset.kind);
  const g = useGeneration();
  // Only sequence models get the panel; a sequence dataset whose graph does not fit says why.
  if (!g.info && !(g.infoError && (kind === 'text' || kind === 'sequence'))) return null;
  return (
    <section className="panel-section generation" aria-labelledby="generation-title">
      <h2 className="panel-title" id="generation-title">
        Generate
      </h2>
      {!g.info ? (
        <p className="field-error" role="alert">
          {g.infoError}
        </p>
      ) : (
        <div className="generation-body">
          <PromptForm key={g.info.output.node + g.info.context} info={g.info} running={g.output.running} onGenerate={g.generate} onStop={g.stop} />
          {g.output.error && (
            <p className="field-error" role="alert">
              {g.output.error}
            </p>
          )}
          {(g.output.text || g.output.running) && (
            <div className="generation-output">
              <output aria-label="Generated text" className="generation-text">
                {g.output.text}
                {g.output.running && (
                  <span className="generation-caret" aria-hidden="true">
                    ▍
                  </span>
                )}
              </output>
              <p className="field-hint" role="status">
                {g.output.running
                  ? 'Generating…'
                  : `${[...g.output.text].length} ${g.info.kind === 'task' ? 'tokens' : 'characters'} from the weights of step ${g.output.step ?? 0}`}
                {g.output.unknown?.length ? ` · not in the vocabulary, read as unknown: ${g.output.unknown.join(' ')}` : ''}
              </p>
            </div>
          )}
          {g.info.kind === 'task' && <GreedyView info={g.info} greedy={g.greedy} onEvaluate={g.evaluate} />}
        </div>
      )}
    </section>
  );
}

function PromptForm({
  info,
  running,
  onGenerate,
  onStop,
}: {
  info: GenerateInfo;
  running: boolean;
  onGenerate: (prompt: string, s: Sampling) => void;
  onStop: () => void;
}) {
  const task = info.kind === 'task';
  const [prompt, setPrompt] = useState(info.examples[0] ?? '');
  const [tokens, setTokens] = useState(String(task ? info.answerLength : 200));
  const [temperature, setTemperature] = useState(task ? '0' : '0.8');
  const [topK, setTopK] = useState(task ? '0' : '10');
  const [seed, setSeed] = useState('1');
  const values = { tokens: Number(tokens), temperature: Number(temperature), topK: Number(topK), seed: Number(seed) };
  const problems = [
    !(Number.isInteger(values.tokens) && values.tokens >= 1 && values.tokens <= 2000) && 'Length: a whole number from 1 to 2,000',
    !(values.temperature >= 0 && values.temperature <= 10) && 'Temperature: from 0 (greedy) to 10',
    !(Number.isInteger(values.topK) && values.topK >= 0) && 'Top-k: a whole number, 0 for all tokens',
    !Number.isInteger(values.seed) && 'Seed: a whole number',
    !prompt && 'Type a prompt',
  ].filter((p): p is string => !!p);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!problems.length && !running) onGenerate(task && !prompt.endsWith('=') ? `${prompt}=` : prompt, values);
  };
  return (
    <form className="generation-form" onSubmit={submit} aria-label="Generation settings">
      <label className="feature-field generation-prompt">
        <span>Prompt{task ? ` (${info.promptLength! - 1} tokens, then “=”)` : ''}</span>
        <textarea
          rows={task ? 1 : 3}
          value={prompt}
          spellCheck={false}
          onChange={(e) => setPrompt(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
          }}
        />
      </label>
      {info.examples.length > 1 && (
        <div className="generation-examples" role="group" aria-label="Prompts from the validation split">
          {info.examples.slice(0, 4).map((ex, i) => (
            <button key={i} type="button" className="btn generation-example" onClick={() => setPrompt(ex)} title="Use this prompt">
              {ex.replace(/\n/g, '⏎').slice(0, 18)}
            </button>
          ))}
        </div>
      )}
      <div className="generation-settings">
        <label className="feature-field">
          <span>{task ? 'Tokens' : 'Characters'}</span>
          <input type="number" min={1} max={2000} step={1} value={tokens} onChange={(e) => setTokens(e.target.value)} />
        </label>
        <label className="feature-field">
          <span>Temperature</span>
          <input type="number" min={0} max={10} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} />
        </label>
        <label className="feature-field">
          <span title="0: all tokens">Top-k</span>
          <input type="number" min={0} step={1} value={topK} onChange={(e) => setTopK(e.target.value)} />
        </label>
        <label className="feature-field">
          <span>Seed</span>
          <input type="number" step={1} value={seed} onChange={(e) => setSeed(e.target.value)} />
        </label>
      </div>
      {problems.length > 0 && prompt && <p className="field-error">{problems[0]}</p>}
      <div className="generation-actions">
        <button type="submit" className="btn generation-go" disabled={running || problems.length > 0}>
          Generate
        </button>
        {running && (
          <button type="button" className="btn" onClick={onStop}>
            Stop
          </button>
        )}
        <span className="field-hint">Temperature 0 is greedy (always the likeliest token); top-k 0 keeps every token.</span>
      </div>
    </form>
  );
}
