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
      --backend <auto|webgpu|cpu>  WebGPU through Dawn when it finds an adapter, else CPU (default auto)
      --steps <N>               train exactly N steps (overrides the document)
      --epochs <N>              train N epochs (overrides the document)
      --out <weights.safetensors>  where the weights go (default <doc name>.safetensors)
      --logdir <dir>            write TensorBoard event files there (tensorboard --logdir <dir>)
      --histogram-every <N>     parameter and gradient histograms every N steps in --logdir (default 100, 0: none)
  export <doc.json> --weights <w.safetensors> [--onnx <out.onnx>] [--pytorch <folder>]
                      the trained model as ONNX (opset 17) and/or PyTorch code (model.py, train.py, weights)

Ctrl-C stops training after the current step and still writes the weights.
Exit codes: 0 ok, 1 training error (NaN loss, device failure), 2 bad input, 130 interrupted.
`;

class UsageError extends Error {}

function positiveInt(flag: string, value: string | undefined, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new UsageError(`--${flag} wants a ${allowZero ? 'non-negative' : 'positive'} whole number, not "${value}"`);
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
          data: { type: 'string' }, backend: { type: 'string', default: 'auto' }, steps: { type: 'string' }, epochs: { type: 'string' },
          out: { type: 'string' }, logdir: { type: 'string' }, 'histogram-every': { type: 'string', default: '100' }, help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help) return (io.stdout.write(USAGE), EXIT.ok);
      if (positionals.length !== 1) throw new UsageError(`train takes one document, got ${positionals.length ? positionals.join(' ') : 'none'}`);
      const backend = values.backend as BackendChoice;
      if (!['auto', 'webgpu', 'cpu'].includes(backend)) throw new UsageError(`--backend is auto, webgpu or cpu, not "${values.backend}"`);
      const steps = positiveInt('steps', values.steps);
      const epochs = positiveInt('epochs', values.epochs);
      if (steps !== undefined && epochs !== undefined) throw new UsageError('give --steps or --epochs, not both');
      const doc = positionals[0]!;
      const { train } = await import('./train'); // loaded only when needed: --help stays quick
      return await train({
        doc, backend, out: values.out ?? defaultOut(doc), histogramEvery: positiveInt('histogram-every', values['histogram-every'], true)!,
        ...(values.data !== undefined && { data: values.data }), ...(steps !== undefined && { steps }), ...(epochs !== undefined && { epochs }),
        ...(values.logdir !== undefined && { logdir: values.logdir }),
      }, io);
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
      return await exportModel({ doc: positionals[0]!, weights: values.weights, ...(values.onnx !== undefined && { onnx: values.onnx }), ...(values.pytorch !== undefined && { pytorch: values.pytorch }) }, io);
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
