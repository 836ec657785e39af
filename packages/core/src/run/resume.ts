import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunlogError } from '../errors/runlogError.js';
import { lastHistoryRowSync } from '../historyRows/historyRowText.js';
import { readJsonSync } from '../storage/readJson.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { MetricDefinition } from '../summary/metricDefinition.js';
import type { SavedSummaryState } from '../summary/summary.js';
import { effectiveState, endedPreempted, type Heartbeat } from './liveness.js';
import type { RunDocument } from './runDocument.js';
import { LIVE_STATES } from './runState.js';

export type ResumeMode = 'allow' | 'must' | 'never' | 'auto';

export interface StoredRun {
  document: RunDocument;
  /** The next step to log (the last stored step + 1). */
  nextStep: number;
  /** _runtime of the last stored row, or the runtime recorded in run.json, whichever is larger. */
  runtimeSeconds: number;
  metrics?: SavedSummaryState & { definitions?: MetricDefinition[] };
}

/** Reads what a resumed run continues from. */
export function readStoredRun(runDir: string): StoredRun | undefined {
  const document = readJsonSync<RunDocument>(join(runDir, RUN_FILES.run));
  if (!document) return undefined;
  const last = lastHistoryRowSync(join(runDir, RUN_FILES.history));
  const lastRuntime = typeof last?._runtime === 'number' ? last._runtime : 0;
  return {
    document,
    nextStep: typeof last?._step === 'number' ? last._step + 1 : 0,
    runtimeSeconds: Math.max(lastRuntime, document.runtimeSeconds ?? 0),
    metrics: readJsonSync(join(runDir, RUN_FILES.metrics)),
  };
}

/** Refuses to resume a run another live process is still writing. */
export function assertNotLive(runDir: string, stored: StoredRun): void {
  const state = effectiveState(runDir, stored.document);
  if (!LIVE_STATES.has(state) || endedPreempted(stored.document)) return;
  const heartbeat = readJsonSync<Heartbeat>(join(runDir, RUN_FILES.heartbeat));
  const pid = heartbeat?.pid ?? stored.document.pid;
  const host = heartbeat?.host ?? stored.document.host;
  const path = `${stored.document.project}/${stored.document.id}`;
  if (pid === process.pid && host === hostname()) {
    throw new RunlogError('RUN_EXISTS', `run ${path} is already open in this process: finish it first`);
  }
  throw new RunlogError(
    'RUN_EXISTS',
    `run ${path} is still running (pid ${pid} on ${host}); wait for it to finish or use another id`,
  );
}

/** Decides whether init resumes: returns the stored run to continue, or undefined for a new run. */
export function decideResume(runDir: string, mode: ResumeMode | undefined, runPath: string): StoredRun | undefined {
  const stored = existsSync(join(runDir, RUN_FILES.run)) ? readStoredRun(runDir) : undefined;
  switch (mode) {
    case 'must':
      if (!stored) throw new RunlogError('RUN_NOT_FOUND', `resume: 'must' but there is no run ${runPath} to resume`);
      return stored;
    case 'never':
      if (stored)
        throw new RunlogError('RUN_EXISTS', `run ${runPath} already exists and resume is 'never': pick another id`);
      return undefined;
    case 'allow':
    case 'auto':
      return stored;
    default:
      // No resume mode: an existing id is only reused for a pending run a scheduler created.
      if (stored && stored.document.state !== 'pending') {
        throw new RunlogError(
          'RUN_EXISTS',
          `run ${runPath} already exists: pass resume: 'allow' to continue it, or use another id`,
        );
      }
      return stored;
  }
}
