/**
 * The `wiregrad` command line: arguments to a command, each command's exit code returned.
 * Exit codes: 0 done, 1 training error (a NaN loss, a device failure), 2 bad input (a file, a flag,
 * the document, the data), 130 interrupted (Ctrl-C; the weights so far are written).
 */
import { parseArgs } from 'node:util';
import { basename } from 'node:path';
import type { BackendChoice } from './backend';
import { EXIT } from './exitCodes';
import type { CliIo } from './train';

export const USAGE = `Usage: wiregrad <command> [options]

Commands:
  train <doc.json>    train a Wiregrad document headless, on the same engine and trainer as the studio
      --data <file.csv>         the CSV file of a document whose dataset is a CSV upload
      --backend <auto|webgpu|wasm|cpu>  WebGPU through Dawn when it finds an adapter, else the WASM
                                CPU backend (default auto); cpu is the plain-JS reference
      --steps <N>               train exactly N steps (overrides the document)
      --epochs <N>              train N epochs (overrides the document)
      --out <weights.safetensors>  where the weights go (default <doc name>.safetensors)
      --logdir <dir>            write TensorBoard event files there (tensorboard --logdir <dir>)
      --histogram-every <N>     parameter and gradient histograms every N steps in --logdir (default 100, 0: none)
  export <doc.json> --weights <w.safetensors> [--onnx <out.onnx>] [--pytorch <folder>]
                      the trained model as ONNX (opset 17) and/or PyTorch code (model.py, train.py, weights)
  serve               trained models behind TF Serving's REST API (GET /v1/models/NAME[/metadata],
                      POST /v1/models/NAME[/versions/V]:predict with {"instances": …} or {"inputs": …})
      --model <NAME=doc.json,weights.safetensors>  a model to serve as version 1 (repeatable)
      --models-dir <dir>        serve DIR/NAME/VERSION/{model.json,weights.safetensors}, the highest
                                VERSION of each NAME; new versions are loaded and swapped in as they appear
      --host <addr>             the address to listen on (default 127.0.0.1: this machine only)
      --port <N>                the port (default 8501, TF Serving's REST port; 0 picks a free one)
      --backend <auto|webgpu|wasm|cpu>  as for train (default auto); each model version gets its own device
      --max-batch <N>           concurrent predict calls are merged into device runs of up to N samples (default 32)
      --max-instances <N>       most instances in one request (default 1024)
      --max-body-mb <N>         largest request body in MiB (default 32)
      --poll <seconds>          how often --models-dir is looked at (default 2)

Ctrl-C stops training after the current step and still writes the weights; it stops serve after
the requests in flight are answered (exit 0).
Exit codes: 0 ok, 1 training error (NaN loss, device failure), 2 bad input, 130 interrupted.
`;

class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new UsageError(`--${flag} wants a ${allowZero ? 'non-negative' : 'positive'} whole number, not "${value}"`);
  return n;
}

/** `doc.json` → `doc.safetensors`, `net.wiregrad.json` → `net.safetensors`, in the working directory. */
export const defaultOut = (doc: string) => `${basename(doc).replace(/(\.wiregrad)?\.json$/i, '') || 'weights'}.safetensors`;

/** Run the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo & { stdout: { write(s: string): unknown } }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      (command === undefined ? io.stderr : io.stdout).write(USAGE);
      return command === undefined ? EXIT.badInput : EXIT.ok;
    }
    if (command === 'train') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: {
          data: { type: 'string' },
          backend: { type: 'string', default: 'auto' },
          steps: { type: 'string' },
          epochs: { type: 'string' },
          out: { type: 'string' },
          logdir: { type: 'string' },
          'histogram-every': { type: 'string', default: '100' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) return (io.stdout.write(USAGE), EXIT.ok);
      if (positionals.length !== 1) throw new UsageError(`train takes one document, got ${positionals.length ? positionals.join(' ') : 'none'}`);
      const backend = values.backend as BackendChoice;
      if (!['auto', 'webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend is auto, webgpu, wasm or cpu, not "${values.backend}"`);
      const steps = positiveInt('steps', values.steps);
      const epochs = positiveInt('epochs', values.epochs);
      if (steps !== undefined && epochs !== undefined) throw new UsageError('give --steps or --epochs, not both');
      const doc = positionals[0]!;
      const { train } = await import('./train'); // loaded only when needed: --help stays quick
      return await train(
        {
          doc,
          backend,
          out: values.out ?? defaultOut(doc),
          histogramEvery: positiveInt('histogram-every', values['histogram-every'], true)!,
          ...(values.data !== undefined && { data: values.data }),
          ...(steps !== undefined && { steps }),
          ...(epochs !== undefined && { epochs }),
          ...(values.logdir !== undefined && { logdir: values.logdir }),
        },
        io,
      );
    }
    if (command === 'export') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: { weights: { type: 'string' }, onnx: { type: 'string' }, pytorch: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      });
      if (values.help) return (io.stdout.write(USAGE), EXIT.ok);
      if (positionals.length !== 1) throw new UsageError(`export takes one document, got ${positionals.length ? positionals.join(' ') : 'none'}`);
      if (values.weights === undefined) throw new UsageError('export needs --weights <file.safetensors> (as train writes them)');
      const { exportModel } = await import('./export');
      return await exportModel(
        {
          doc: positionals[0]!,
          weights: values.weights,
          ...(values.onnx !== undefined && { onnx: values.onnx }),
          ...(values.pytorch !== undefined && { pytorch: values.pytorch }),
        },
        io,
      );
    }
    if (command === 'serve') {
      const { values, positionals } = parseArgs({
        args: [...rest],
        allowPositionals: true,
        options: {
          model: { type: 'string', multiple: true },
          'models-dir': { type: 'string' },
          host: { type: 'string' },
          port: { type: 'string' },
          backend: { type: 'string' },
          'max-batch': { type: 'string' },
          'max-instances': { type: 'string' },
          'max-body-mb': { type: 'string' },
          poll: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) return (io.stdout.write(USAGE), EXIT.ok);
      if (positionals.length)
        throw new UsageError(`serve takes no positional arguments (got ${positionals.join(' ')}); give models with --model NAME=doc.json,weights.safetensors`);
      const { SERVE_DEFAULTS: D, parseModelSpec, serve } = await import('./serve');
      const backend = (values.backend ?? D.backend) as BackendChoice;
      if (!['auto', 'webgpu', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend is auto, webgpu, wasm or cpu, not "${values.backend}"`);
      const port = values.port === undefined ? D.port : positiveInt('port', values.port, true)!;
      if (port > 65535) throw new UsageError(`--port is at most 65535, not ${port}`);
      let models;
      try {
        models = (values.model ?? []).map(parseModelSpec);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const names = models.map((m) => m.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) throw new UsageError(`--model ${dup} is given twice`);
      return await serve(
        {
          models,
          host: values.host ?? D.host,
          port,
          backend,
          maxBatch: positiveInt('max-batch', values['max-batch']) ?? D.maxBatch,
          maxInstances: positiveInt('max-instances', values['max-instances']) ?? D.maxInstances,
          maxBodyBytes: (positiveInt('max-body-mb', values['max-body-mb']) ?? D.maxBodyBytes / 2 ** 20) * 2 ** 20,
          pollSeconds: positiveInt('poll', values.poll) ?? D.pollSeconds,
          ...(values['models-dir'] !== undefined && { modelsDir: values['models-dir'] }),
        },
        io,
      );
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    // parseArgs throws TypeErrors with codes for unknown flags and missing values.
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`wiregrad: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.badInput;
    }
    throw e;
  }
}
