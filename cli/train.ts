/**
 * `wiregrad train`: a document trained headless by the tab's own Trainer (workers/trainer.ts), on
 * Dawn or the CPU, with a progress line, TensorBoard event files and the weights as safetensors.
 * Ctrl-C stops after the current step and still writes the weights.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { CompileError } from '../engine/compile/program';
import type { Dataset } from '../engine/data';
import type { GraphDocument } from '../engine/graph/document';
import { TrainingConfig } from '../engine/graph/training';
import { encodeWeights, tensorNameOf } from '../engine/interchange/weights';
import { Trainer } from '../workers/trainer';
import type { MetricPoint, TrainError, TrainEvent, TrainStatus } from '../workers/types';
import { BackendUnavailable, createBackend, type BackendChoice } from './backend';
import { DataError, loadDataset } from './data';
import { errorLines, InputError, readDocument } from './document';
import { EXIT } from './exitCodes';
import { EventFileWriter, histogramFromBins, type Histogram } from './tfevents';
import { variableSpecs } from './weights';

export { EXIT };

export interface TrainOptions {
  readonly doc: string;
  readonly data?: string;
  readonly backend: BackendChoice;
  readonly steps?: number;
  readonly epochs?: number;
  /** Where the weights go (safetensors). */
  readonly out: string;
  /** TensorBoard event files go here when set. */
  readonly logdir?: string;
  /** Parameter and gradient histograms at most this often, in steps (0: never). */
  readonly histogramEvery: number;
}

/** Where a command talks: stderr for people (a TTY gets a live line), and how Ctrl-C reaches it. */
export interface CliIo {
  readonly stderr: { write(s: string): unknown; readonly isTTY?: boolean };
  /** Call `handler` on each interrupt (SIGINT); returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Milliseconds clock (tests pass a fake one). */
  now?(): number;
}

/** Seconds between plain progress lines when stderr is not a terminal. */
const PLAIN_EVERY_S = 2;
/** A second Ctrl-C this long after the first quits at once (a terminal may deliver one twice). */
const FORCE_AFTER_MS = 1000;

const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : x.toPrecision(4)) : String(x));

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** One progress line: step, epoch, loss and metrics, speed, time left. */
export function progressLine(p: MetricPoint, status: TrainStatus): string {
  const metrics = Object.entries(p.metrics)
    .map(([k, v]) => ` ${k} ${fmt(v)}`)
    .join('');
  const speed = status.stepsPerSecond;
  const eta = speed > 0 ? duration((status.totalSteps - p.step) / speed) : '?';
  return `step ${p.step}/${status.totalSteps} epoch ${p.epoch + 1}  loss ${fmt(p.loss)}${metrics}  ${speed ? speed.toFixed(1) : '?'} steps/s  ETA ${eta}`;
}

/** The document with the run length the flags ask for. */
export function withRunLength(doc: GraphDocument, steps?: number, epochs?: number): GraphDocument {
  if (steps === undefined && epochs === undefined) return doc;
  const { steps: _old, ...rest } = doc.training;
  return { ...doc, training: TrainingConfig.parse(steps !== undefined ? { ...rest, steps } : { ...rest, epochs }) };
}

/** Trains as asked and returns the exit code; everything said goes to io.stderr. */
export async function train(opts: TrainOptions, io: CliIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`${line}\n`);
  let doc: GraphDocument;
  let dataset: Dataset;
  try {
    doc = withRunLength(readDocument(opts.doc), opts.steps, opts.epochs);
    dataset = await loadDataset(doc, { ...(opts.data !== undefined ? { dataPath: opts.data } : {}), docPath: opts.doc });
  } catch (e) {
    if (e instanceof InputError) say([`wiregrad train: ${e.message}`, ...e.lines].join('\n'));
    else if (e instanceof CompileError) say([`wiregrad train: the data does not fit ${opts.doc}:`, ...errorLines(e.errors)].join('\n'));
    else say(`wiregrad train: ${e instanceof DataError ? '' : 'the dataset could not be loaded: '}${e instanceof Error ? e.message : String(e)}`);
    return EXIT.badInput;
  }

  let interrupted = false;
  let forced = false;
  let firstInterrupt = 0;
  let stopRequested: (() => void) | undefined;
  const clock = () => io.now?.() ?? Date.now();
  const stopListening = io.onInterrupt(() => {
    if (!interrupted) {
      interrupted = true;
      firstInterrupt = clock();
      clearLine();
      say('wiregrad train: interrupted — stopping after the current step (Ctrl-C again to quit without writing the weights)');
      stopRequested?.();
    } else if (clock() - firstInterrupt >= FORCE_AFTER_MS) {
      forced = true;
      stopRequested?.();
    }
  });

  const trainer = new Trainer({ createBackend: () => createBackend(opts.backend), loadDataset: async () => dataset });
  let events: EventFileWriter | undefined;
  const tty = io.stderr.isTTY === true;
  let liveLine = false;
  const clearLine = () => {
    if (liveLine) io.stderr.write('\r\x1b[K');
    liveLine = false;
  };
  let lastPoint: MetricPoint | undefined;
  let status: TrainStatus = trainer.status;
  let lastPlain = -Infinity;
  let lastLine = '';
  let failure: TrainError | undefined;
  let finish: (() => void) | undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let training = false;

  const onEvent = (e: TrainEvent) => {
    switch (e.type) {
      case 'metrics':
        for (const p of e.points) {
          events?.scalars(p.step, {
            loss: p.loss,
            lr: p.lr,
            grad_norm: p.gradNorm,
            ...Object.fromEntries(Object.entries(p.metrics).map(([k, v]) => [`metrics/${k}`, v])),
          });
        }
        lastPoint = e.points.at(-1) ?? lastPoint;
        break;
      case 'validation':
        events?.scalars(e.point.step, {
          'validation/loss': e.point.loss,
          ...Object.fromEntries(Object.entries(e.point.metrics).map(([k, v]) => [`validation/${k}`, v])),
        });
        clearLine();
        say(
          `validation at step ${e.point.step}: loss ${fmt(e.point.loss)}${Object.entries(e.point.metrics)
            .map(([k, v]) => ` ${k} ${fmt(v)}`)
            .join('')}`,
        );
        break;
      case 'histograms': {
        const histos: Record<string, Histogram> = {};
        for (const t of e.tensors)
          histos[`${t.what === 'value' ? 'weights' : 'gradients'}/${tensorNameOf(t.name)}`] = histogramFromBins(t.min, t.max, t.counts);
        events?.histograms(e.step, histos);
        break;
      }
      case 'error':
        failure = e.error;
        break;
      case 'status':
        status = e.status;
        if (lastPoint) report(lastPoint);
        if (training && (status.state === 'done' || status.state === 'paused' || status.state === 'error')) finish?.();
        break;
      default:
        break;
    }
  };

  const report = (p: MetricPoint) => {
    if (tty) {
      io.stderr.write(`\r\x1b[K${progressLine(p, status)}`);
      liveLine = true;
    } else if (clock() - lastPlain >= PLAIN_EVERY_S * 1000 || status.state !== 'running') {
      const line = progressLine(p, status);
      if (line === lastLine) return;
      lastPlain = clock();
      lastLine = line;
      say(line);
    }
  };

  try {
    trainer.subscribe(onEvent);
    const compiled = await trainer.open(doc);
    if (!compiled.ok) {
      say([`wiregrad train: ${opts.doc} cannot be trained:`, ...errorLines(compiled.errors)].join('\n'));
      return EXIT.badInput;
    }
    const { backend } = compiled;
    say(
      `wiregrad train: "${doc.meta.name}" — ${compiled.paramCount} parameters, ${trainer.status.totalSteps} steps of ${doc.training.batchSize} on ${backend.device}${backend.kind === 'cpu' && opts.backend === 'auto' && backend.fallbackReason ? ` (${backend.fallbackReason})` : ''}`,
    );
    if (opts.logdir) {
      events = new EventFileWriter(opts.logdir);
      say(`wiregrad train: TensorBoard events in ${events.path}`);
    }
    if (opts.histogramEvery > 0 && opts.logdir) trainer.observe({ histogramEvery: opts.histogramEvery });
    stopRequested = () => trainer.pause();
    if (!interrupted) {
      training = true;
      await trainer.train();
      await Promise.race([finished, new Promise<void>((resolve) => (stopRequested = () => (forced ? resolve() : trainer.pause())))]);
      if (forced) {
        clearLine();
        say('wiregrad train: interrupted again — quitting without writing the weights');
        return EXIT.interrupted;
      }
      await trainer.stop();
    }
    // The live line's last state stays on screen.
    if (liveLine && !interrupted) io.stderr.write('\n');
    else clearLine();
    liveLine = false;
    const step = trainer.status.step;
    writeWeights(opts.out, encodeWeights(variableSpecs(doc), await trainer.getWeights(), { metadata: { 'wiregrad.trained_steps': String(step) } }));
    if (failure) {
      say(`wiregrad train: ${failure.message}${failure.node ? ` (node "${failure.node}")` : ''}`);
      say(`wiregrad train: wrote the weights from before the failure (step ${step}) to ${opts.out}`);
      return EXIT.trainingError;
    }
    say(`wiregrad train: wrote the weights after step ${step} to ${opts.out}`);
    return interrupted ? EXIT.interrupted : EXIT.ok;
  } catch (e) {
    clearLine();
    if (e instanceof BackendUnavailable) {
      say(`wiregrad train: ${e.message}`);
      return EXIT.badInput;
    }
    say(`wiregrad train: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.trainingError;
  } finally {
    stopListening();
    events?.close();
  }
}

/** Write then rename, so an interrupted write never leaves half a weights file. */
function writeWeights(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
