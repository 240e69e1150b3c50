/** The process around main(): real stdio, SIGINT, and an explicit exit (Dawn's instance would keep Node alive). */
import { main } from './main';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  onInterrupt(handler) {
    process.on('SIGINT', handler);
    return () => process.off('SIGINT', handler);
  },
}).catch((e: unknown) => {
  process.stderr.write(`wiregrad: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
});
// Let stderr drain (a pipe is asynchronous) before leaving.
process.stderr.write('', () => process.exit(code));
