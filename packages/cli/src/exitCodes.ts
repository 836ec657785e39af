/** What `runlog` exits with. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed: unknown run, damaged store, I/O error. */
  error: 1,
  /** The command line was wrong: unknown option, bad --filter, missing argument. */
  usage: 2,
} as const;
