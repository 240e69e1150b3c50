/** The command line's exit codes (README.md, "Command line"). */
export const EXIT = {
  /** Done as asked. */
  ok: 0,
  /** Training failed: a non-finite loss, a device lost, an internal error. */
  trainingError: 1,
  /** Bad input: a file, a flag, the document or its data. */
  badInput: 2,
  /** Interrupted (Ctrl-C); train still writes the weights so far. */
  interrupted: 130,
} as const;
