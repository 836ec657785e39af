import { hostname } from 'node:os';
import { resolveStoreDir } from '@runlog/core/internal';
import type { SweepConfig } from '../config/sweepConfig.js';
import { validateSweepConfig } from '../config/validateSweepConfig.js';
import { nestParams } from '../search/parameterValues.js';
import { AGENT_HEARTBEAT_MS } from '../state/agentLiveness.js';
import { openSweepState } from '../state/openSweepState.js';
import { randomId } from '../state/sweepIds.js';
import type { AgentRecord, TrialRecord } from '../state/sweepRecords.js';
import type { SweepRef, SweepState } from '../state/sweepState.js';

export interface AgentOptions {
  /** Run at most this many trials (default: until the sweep has no more). */
  count?: number;
  /** The store root (default $RUNLOG_DIR, else ./runlog). */
  dir?: string;
  /** A runlog server holding the sweep (default $RUNLOG_HOST when `dir` is not given); trials' runs stay local. */
  host?: string;
  /** The server's token (default $RUNLOG_API_KEY). */
  apiKey?: string;
  /** The sweep state (default: the server with `host`, else the local store's). */
  state?: SweepState;
  /** How often a running trial is checked for early termination and a cancelled sweep (ms). Default 1000. */
  pollMs?: number;
  /** Ends the agent: the running trial is stopped and recorded as killed. */
  signal?: AbortSignal;
  /** Progress lines ("trial 3 of ..."); default none. */
  log?: (line: string) => void;
}

export interface AgentResult {
  sweep: SweepRef;
  /** The trials this agent ran, as recorded when they ended. */
  trials: TrialRecord[];
  /** Why the agent stopped asking for trials. */
  reason: string;
}

/** Everything a trial runner needs about the trial it runs. */
export interface TrialContext {
  trial: TrialRecord;
  ref: SweepRef;
  config: SweepConfig;
  state: SweepState;
  /** Store root, for reading the trial's run. */
  store: string;
  /** The trial's config: parameters nested as the sweep config nests them. */
  params: Record<string, unknown>;
  pollMs: number;
  signal?: AbortSignal;
}

/** Runs one trial to its end and returns what its record should say (state, metric, exit code). */
export type TrialRunner = (context: TrialContext) => Promise<Partial<TrialRecord>>;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * An agent's life: registers with the sweep, keeps a heartbeat, claims trials one at a time and hands each to
 * `runTrial` until the sweep is done, `count` trials ran or `signal` fires. Shared by the in-code agent and
 * `runlog agent`.
 */
export async function runAgent(sweep: string, options: AgentOptions, runTrial: TrialRunner): Promise<AgentResult> {
  const state = options.state ?? openSweepState(options);
  const store = 'store' in state && typeof state.store === 'string' ? state.store : resolveStoreDir(options.dir);
  const ref = await state.resolve(sweep);
  const now = new Date().toISOString();
  const agent: AgentRecord = { id: randomId(), pid: process.pid, host: hostname(), startedAt: now, at: now };
  await state.beat(ref, agent);
  const heartbeat = setInterval(() => {
    agent.at = new Date().toISOString();
    void state.beat(ref, agent).catch(() => {});
  }, AGENT_HEARTBEAT_MS);
  heartbeat.unref();
  const pollMs = options.pollMs ?? 1000;
  const done: TrialRecord[] = [];
  let reason = `ran ${options.count} trials (--count)`;
  try {
    while (options.count === undefined || done.length < options.count) {
      if (options.signal?.aborted) {
        reason = 'interrupted';
        break;
      }
      const claim = await state.claim(ref, agent);
      if (claim.kind === 'done') {
        reason = claim.reason;
        break;
      }
      if (claim.kind === 'wait') {
        await sleep(pollMs, options.signal);
        continue;
      }
      const { trial } = claim;
      const config = validateSweepConfig((await state.snapshot(ref)).sweep.config);
      options.log?.(`trial ${trial.number} (run ${ref.project}/${trial.id}): ${JSON.stringify(trial.params)}`);
      let outcome: Partial<TrialRecord>;
      try {
        outcome = await runTrial({
          trial,
          ref,
          config,
          state,
          store,
          params: nestParams(config.parameters, trial.params),
          pollMs,
          signal: options.signal,
        });
      } catch (error) {
        outcome = { state: 'failed', stopReason: `the agent could not run it: ${(error as Error).message}` };
      }
      const ended = await state.updateTrial(ref, trial.id, { endedAt: new Date().toISOString(), ...outcome });
      options.log?.(
        `trial ${trial.number} ${ended.state}${ended.value === undefined ? '' : `: ${config.metric?.name} ${ended.value}`}${ended.stopReason ? ` (${ended.stopReason})` : ''}`,
      );
      done.push(ended);
    }
  } finally {
    clearInterval(heartbeat);
    agent.endedAt = new Date().toISOString();
    await state.beat(ref, agent).catch(() => {});
  }
  return { sweep: ref, trials: done, reason };
}
