/**
 * The peer server of `npm run bench:serve`: an .onnx file in ONNX Runtime behind the very routes,
 * validation and batcher of `wiregrad serve` (cli/serve.ts startServer), so only the model runner
 * differs. Usage: tsx bench/serve/onnxServer.ts <model.onnx> <name> <max-batch>; prints "listening on URL".
 */
import { SERVE_DEFAULTS, startServer } from '../../cli/serve';
import { onnxRunner } from './onnxRunner';

const [path, name = 'mnist', maxBatch = '32'] = process.argv.slice(2);
if (!path) {
  console.error('usage: tsx bench/serve/onnxServer.ts <model.onnx> [name] [max-batch]');
  process.exit(2);
}
const server = await startServer(
  { ...SERVE_DEFAULTS, port: 0, models: [{ name, doc: path, weights: path }], maxBatch: Number(maxBatch) },
  (line) => console.error(`onnx serve: ${line}`),
  async (onnx) => onnxRunner(onnx),
);
console.error(`onnx serve: listening on ${server.url} `);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));
