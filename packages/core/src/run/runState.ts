/** Lifecycle states of a run (docs/FORMAT.md). */
export type RunState = 'pending' | 'running' | 'finished' | 'failed' | 'crashed' | 'killed' | 'preempting';

export const RUN_STATES: readonly RunState[] = [
  'pending',
  'running',
  'finished',
  'failed',
  'crashed',
  'killed',
  'preempting',
];

/**
 * States in which a process is (or should be) writing the run: the one list, for the engine (resume, liveness)
 * and every reader. A reader that also waits for pending runs to start uses `['pending', ...LIVE_STATES]`.
 */
export const LIVE_STATES: ReadonlySet<RunState> = new Set(['running', 'preempting']);
