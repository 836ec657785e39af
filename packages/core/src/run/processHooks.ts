/**
 * Process-level handlers shared by every live run. runlog ends a run only when the process is really going down:
 * - SIGINT/SIGTERM with no other listener: Node's default action (death) is due, so each run flushes, records
 *   `killed` and the signal is raised again to die of it as Node would.
 * - SIGINT/SIGTERM that the program handles itself (a graceful shutdown): each run writes what is queued,
 *   synchronously, and stays open; whenever it ends (finish() or exit) it records `killed` with the signal's code
 *   (`preempting` after markPreempting). A second SIGINT while the first is being handled forces the exit.
 * - An uncaught exception: if the program has its own `uncaughtException` handler the process goes on, so runs
 *   only flush; otherwise Node prints it and exits 1, and runs record `failed`.
 * - exit: each run still open records `finished` (code 0) or `failed`.
 * Installed with the first run, removed with the last.
 */
export interface ProcessBoundRun {
  /** Writes everything queued and the final state, synchronously. */
  endSync(state: 'finished' | 'failed' | 'killed', exitCode: number): void;
  /** Writes what is ready and the documents, synchronously, and keeps the run open. */
  flushNowSync(): void;
  /** The process received a signal that its own handlers deal with: the run ends `killed` with this code. */
  noteSignal(exitCode: number): void;
}

const runs = new Set<ProcessBoundRun>();
const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
let installed = false;
/** Signals received and left to the program's own handlers. */
const handledSignals = new Set<NodeJS.Signals>();

function onSignal(signal: NodeJS.Signals): void {
  const code = SIGNAL_EXIT_CODES[signal] ?? 1;
  const programHandles = process.listenerCount(signal) > 1;
  const forced = signal === 'SIGINT' && handledSignals.has('SIGINT');
  if (programHandles && !forced) {
    handledSignals.add(signal);
    for (const run of [...runs]) {
      run.noteSignal(code);
      run.flushNowSync();
    }
    return;
  }
  for (const run of [...runs]) run.endSync('killed', code);
  runs.clear();
  uninstall();
  // The second Ctrl-C: the program's handlers had their chance; die of the signal now.
  if (forced) process.removeAllListeners(signal);
  // Our listener replaced Node's default action; if nobody else handles the signal, die of it as Node would.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onUncaught(): void {
  // With a handler of the program's own (or a domain-style capture callback), Node does not exit: training goes on.
  if (process.listenerCount('uncaughtException') > 0 || process.hasUncaughtExceptionCaptureCallback()) {
    for (const run of [...runs]) run.flushNowSync();
    return;
  }
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
  handledSignals.clear();
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
