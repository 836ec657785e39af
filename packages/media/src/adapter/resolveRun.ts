import { getRun, type Run, RunlogError } from '@runlog/core';

/**
 * The run an adapter records into: the one passed, else the current run (`init()`), else a NO_ACTIVE_RUN error
 * naming `caller`. Adapters take the run as an argument and call this once, never reaching for a global later.
 * @example
 * const run = resolveRun(options.run, 'watch()');
 */
export function resolveRun(run: Run | undefined, caller: string): Run {
  const resolved = run ?? getRun();
  if (!resolved) {
    throw new RunlogError(
      'NO_ACTIVE_RUN',
      `${caller} needs a run: pass { run } or call \`await init({ project })\` first`,
    );
  }
  return resolved;
}
