import { type Run, resolveKeyPath, setSweepTrial } from '@runlog/core';
import { GrowingCurve } from '../hyperband/metricCurve.js';
import type { TrialRecord } from '../state/sweepRecords.js';
import { type AgentOptions, type AgentResult, runAgent, type TrialContext } from './agentSession.js';
import { MetricReader } from './metricReader.js';
import { metricFields } from './trialMetrics.js';
import { TrialSupervisor } from './trialSupervisor.js';

/** The trial function of an in-code agent: it calls `init()`, which hands it the trial's parameters as config. */
export type TrialFunction = () => unknown | Promise<unknown>;

/**
 * Runs trials of a sweep in this process, one after another (wandb's `wandb.agent(sweep_id, function, count)`):
 * each call of `fn` is one trial, and the first `init()` inside it starts the trial's run with the trial's
 * parameters as config and `run.sweepId` set. A run the function leaves open is finished for it. Early
 * termination and a cancelled sweep set `run.stopRequested` (the tfjs callbacks end `fit`).
 * @example
 * await agent(sweepId, async () => {
 *   const run = await init();
 *   for (let epoch = 0; epoch < 10 && !run.stopRequested; epoch++) run.log({ loss: train(run.config.get('lr')) });
 *   await run.finish();
 * }, { count: 5 });
 */
export function agent(sweep: string, fn: TrialFunction, options: AgentOptions = {}): Promise<AgentResult> {
  return runAgent(sweep, options, (context) => runInProcess(context, fn));
}

async function runInProcess(context: TrialContext, fn: TrialFunction): Promise<Partial<TrialRecord>> {
  const { trial, ref, config, store } = context;
  const metric = config.metric;
  const curve = metric ? new GrowingCurve(metric.goal) : undefined;
  let run: Run | undefined;
  const supervisor = new TrialSupervisor(context, {
    curve: () => curve!,
    onStop: (reason) => run?.requestStop(reason),
  });
  await supervisor.start();
  const onAbort = () => supervisor.stop('the agent was interrupted');
  context.signal?.addEventListener('abort', onAbort);
  setSweepTrial({
    sweepId: ref.id,
    runId: trial.id,
    project: ref.project,
    dir: store,
    params: context.params,
    onRun: (started) => {
      run = started;
      if (supervisor.reason) started.requestStop(supervisor.reason);
      if (!metric || !supervisor.early.enabled) return;
      // Judged as each value is logged: the decision never lags the trial.
      started.on('log', (data) => {
        const value = resolveKeyPath(data, metric.name);
        if (value === undefined) return;
        curve!.push(value);
        supervisor.judge(curve!);
      });
    },
  });
  let exitCode = 0;
  let error: unknown;
  try {
    await fn();
  } catch (thrown) {
    exitCode = 1;
    error = thrown;
  } finally {
    setSweepTrial(undefined);
    supervisor.close();
    context.signal?.removeEventListener('abort', onAbort);
  }
  const current = run as Run | undefined;
  if (!current)
    return { state: 'failed', exitCode, stopReason: error ? String(error) : 'the trial function never called init()' };
  if (!current.finished) await current.finish(exitCode);
  const reader = metric ? new MetricReader(store, `${ref.project}/${trial.id}`, metric.name) : undefined;
  const fields = reader ? metricFields(config, await reader.refresh(), await reader.summaryValue()) : {};
  const stopReason = supervisor.reason;
  return {
    ...fields,
    exitCode,
    state: stopReason ? (context.signal?.aborted ? 'killed' : 'stopped') : exitCode === 0 ? 'finished' : 'failed',
    ...(stopReason
      ? { stopReason }
      : error
        ? { stopReason: `the trial function threw: ${(error as Error).message ?? error}` }
        : {}),
  };
}
