import { type ChildProcess, spawn } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SWEEP_ENV } from '@runlog/core';
import { buildCommand, MACROS } from '../config/commandLine.js';
import { curveOf } from '../hyperband/metricCurve.js';
import type { TrialRecord } from '../state/sweepRecords.js';
import type { TrialContext } from './agentSession.js';
import { MetricReader } from './metricReader.js';
import { metricFields } from './trialMetrics.js';
import { TrialSupervisor } from './trialSupervisor.js';

export interface CommandTrialOptions {
  /** How long a trial asked to stop may take to end on its own before SIGTERM, then again before SIGKILL (ms). */
  graceMs?: number;
  /** Where the trial's output goes: 'inherit' (the agent's terminal, default) or 'ignore'. */
  stdio?: 'inherit' | 'ignore';
}

/**
 * Runs one trial as the sweep's command (program and wandb's macros), with the trial's identity in environment
 * variables (RUNLOG_SWEEP_ID, RUNLOG_RUN_ID, RUNLOG_PROJECT, RUNLOG_SWEEP_PARAMS, RUNLOG_DIR) so the program's
 * `init()` joins the sweep. A stop (Hyperband, a cancelled sweep) is first a request the run sees as
 * `run.stopRequested`; a program that ignores it gets SIGTERM after the grace period, then SIGKILL.
 */
export async function runCommandTrial(
  context: TrialContext,
  options: CommandTrialOptions = {},
): Promise<Partial<TrialRecord>> {
  const { trial, ref, config, store, state } = context;
  const graceMs = options.graceMs ?? 10_000;
  let argsJsonFile: string | undefined;
  if (config.command?.some((part) => part.includes(MACROS.argsJsonFile))) {
    argsJsonFile = join(tmpdir(), `runlog-sweep-${ref.id}-${trial.id}.json`);
    await writeFile(argsJsonFile, JSON.stringify(context.params));
  }
  const argv = buildCommand({ command: config.command, program: config.program, params: context.params, argsJsonFile });
  const reader = config.metric ? new MetricReader(store, `${ref.project}/${trial.id}`, config.metric.name) : undefined;
  let child: ChildProcess | undefined;
  let escalation: NodeJS.Timeout | undefined;
  let signalled: NodeJS.Signals | undefined;
  const escalate = () => {
    escalation = setTimeout(() => {
      signalled = 'SIGTERM';
      child?.kill('SIGTERM');
      escalation = setTimeout(() => {
        signalled = 'SIGKILL';
        child?.kill('SIGKILL');
      }, graceMs);
    }, graceMs);
  };
  const supervisor = new TrialSupervisor(context, {
    curve: async () => curveOf((await reader?.refresh()) ?? [], config.metric?.goal ?? 'minimize'),
    onStop: (reason) => {
      void state.requestStop(ref, trial.id, reason).catch(() => {});
      escalate();
    },
  });
  await supervisor.start();
  const onAbort = () => {
    signalled = 'SIGINT';
    child?.kill('SIGINT');
  };
  context.signal?.addEventListener('abort', onAbort);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', options.stdio ?? 'inherit', options.stdio ?? 'inherit'],
      env: {
        ...process.env,
        [SWEEP_ENV.sweepId]: ref.id,
        [SWEEP_ENV.runId]: trial.id,
        [SWEEP_ENV.project]: ref.project,
        [SWEEP_ENV.params]: JSON.stringify(context.params),
        RUNLOG_DIR: store,
      },
    });
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  supervisor.close();
  clearTimeout(escalation);
  if (argsJsonFile) await rm(argsJsonFile, { force: true });
  context.signal?.removeEventListener('abort', onAbort);
  const fields = reader ? metricFields(config, await reader.refresh(), await reader.summaryValue()) : {};
  const exitCode = exit.code ?? (exit.signal ? 128 : null);
  if (exit.error)
    return { ...fields, state: 'failed', exitCode, stopReason: `cannot start ${argv[0]}: ${exit.error.message}` };
  if (signalled === 'SIGINT') return { ...fields, state: 'killed', exitCode, stopReason: 'the agent was interrupted' };
  const reason = supervisor.reason;
  if (reason) {
    const forced = signalled ? `; it did not end within ${graceMs} ms and got ${signalled}` : '';
    return { ...fields, state: 'stopped', exitCode, stopReason: `${reason}${forced}` };
  }
  if (exit.code === 0) return { ...fields, state: 'finished', exitCode: 0 };
  if (exit.signal) return { ...fields, state: 'killed', exitCode, stopReason: `ended by ${exit.signal}` };
  return { ...fields, state: 'failed', exitCode };
}
