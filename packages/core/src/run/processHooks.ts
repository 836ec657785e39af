/**
 * Process-level handlers shared by every live run: on SIGINT/SIGTERM, an uncaught exception or exit, each run
 * flushes synchronously and records how it ended. Installed with the first run, removed with the last.
 */
export interface ProcessBoundRun {
  /** Writes everything queued and the final state, synchronously. */
  endSync(state: 'finished' | 'failed' | 'killed', exitCode: number): void;
}

const runs = new Set<ProcessBoundRun>();
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const run of [...runs]) run.endSync('killed', SIGNAL_EXIT_CODES[signal] ?? 1);
  runs.clear();
  uninstall();
  // Our listener replaced Node's default action; if nobody else handles the signal, die of it as Node would.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onUncaught(): void {
  for (const run of [...runs]) run.endSync('failed', 1);
  runs.clear();
}

function onExit(code: number): void {
  for (const run of [...runs]) run.endSync(code === 0 ? 'finished' : 'failed', code);
  runs.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The monitor variant observes without changing Node's behaviour (print and exit 1).
  process.on('uncaughtExceptionMonitor', onUncaught);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('uncaughtExceptionMonitor', onUncaught);
  process.off('exit', onExit);
}

export function bindToProcess(run: ProcessBoundRun): void {
  runs.add(run);
  install();
}

export function unbindFromProcess(run: ProcessBoundRun): void {
  runs.delete(run);
  if (runs.size === 0) uninstall();
}

/**
 * A run finished by `await using` cannot see whether its block threw; if the process then exits with a non-zero
 * code (an unhandled rejection from that block, say), `onFailedExit` marks it failed after all.
 */
const disposedRuns = new Set<{ onFailedExit(code: number): void }>();
let exitWatchInstalled = false;

export function watchExitAfterDispose(run: { onFailedExit(code: number): void }): void {
  disposedRuns.add(run);
  if (exitWatchInstalled) return;
  exitWatchInstalled = true;
  process.on('exit', (code) => {
    if (code !== 0) for (const r of disposedRuns) r.onFailedExit(code);
  });
}
