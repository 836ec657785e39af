import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, RunlogError } from '@runlog/core';
import {
  assertSafeName,
  atomicWriteJson,
  RUN_FILES,
  readJson,
  resolveStoreDir,
  storePaths,
  withLock,
} from '@runlog/core/internal';
import type { SweepConfig } from '../config/sweepConfig.js';
import { agentAlive } from './agentLiveness.js';
import { sweepLayout } from './sweepLayout.js';
import type { AgentRecord, SweepRecord, SweepSnapshot, SweepStatus, TrialRecord } from './sweepRecords.js';
import type { Claim, SweepRef, SweepState } from './sweepState.js';
import { applyStatus, claimNext, markCrashed, newSweepRecord } from './sweepTransitions.js';

interface TrialsDocument {
  trials: TrialRecord[];
}

/** What a change made under the lock returns, and whether it changed the trials. */
interface Change<T> {
  result: T;
  trialsChanged: boolean;
}

/**
 * The sweep state on the local store: sweep.json and trials.json changed only under the sweep's lock file
 * (core's withLock: O_EXCL, stale locks of dead processes broken), each written by atomic replace; one heartbeat
 * file per agent. Several agent processes on one machine (or sharing the folder) claim trials safely.
 */
export class FileSweepState implements SweepState {
  readonly store: string;

  constructor(dir?: string) {
    this.store = resolveStoreDir(dir);
  }

  private dir(ref: SweepRef): string {
    return sweepLayout.sweep(this.store, ref.project, ref.id);
  }

  async create(project: string, config: SweepConfig): Promise<SweepRecord> {
    assertSafeName('project', project);
    const record = newSweepRecord(project, config);
    const dir = this.dir({ project, id: record.id });
    await mkdir(join(dir, sweepLayout.files.agents), { recursive: true });
    await atomicWriteJson(join(dir, sweepLayout.files.trials), { trials: [] } satisfies TrialsDocument);
    await atomicWriteJson(join(dir, sweepLayout.files.sweep), record);
    return record;
  }

  async resolve(ref: string): Promise<SweepRef> {
    const parts = String(ref).split('/');
    if (parts.length > 2)
      throw new RunlogError('INVALID_ARGUMENT', `a sweep is "id" or "project/id", got ${JSON.stringify(ref)}`);
    const id = parts[parts.length - 1];
    assertSafeName('sweep id', id);
    const projects = parts.length === 2 ? [parts[0]] : await this.projects();
    for (const project of projects) {
      assertSafeName('project', project);
      const found = await stat(join(this.dir({ project, id }), sweepLayout.files.sweep)).catch(() => undefined);
      if (found) return { project, id };
    }
    throw new NotFoundError('SWEEP_NOT_FOUND', `sweep ${JSON.stringify(ref)} not found in ${this.store}`);
  }

  private async projects(): Promise<string[]> {
    const entries = await readdir(this.store, { withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isDirectory() && e.name !== 'objects').map((e) => e.name);
  }

  async snapshot(ref: SweepRef): Promise<SweepSnapshot> {
    const snapshot = await this.read(ref);
    markCrashed(snapshot, agentAlive);
    return snapshot;
  }

  private async read(ref: SweepRef): Promise<SweepSnapshot> {
    const dir = this.dir(ref);
    const sweep = await readJson<SweepRecord>(join(dir, sweepLayout.files.sweep));
    if (!sweep) throw new NotFoundError('SWEEP_NOT_FOUND', `sweep ${ref.project}/${ref.id} not found in ${this.store}`);
    const trials = (await readJson<TrialsDocument>(join(dir, sweepLayout.files.trials)))?.trials ?? [];
    const agentsDir = join(dir, sweepLayout.files.agents);
    const names = await readdir(agentsDir).catch(() => [] as string[]);
    const agents: AgentRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const agent = await readJson<AgentRecord>(join(agentsDir, name)).catch(() => undefined);
      if (agent) agents.push(agent);
    }
    return { sweep, trials, agents };
  }

  /**
   * Runs `change` on the sweep while holding its lock. trials.json is written when trials of dead agents were
   * marked crashed or when `change` says it changed the trials.
   */
  private async locked<T>(
    ref: SweepRef,
    change: (snapshot: SweepSnapshot) => Change<T> | Promise<Change<T>>,
  ): Promise<T> {
    const dir = this.dir(ref);
    return withLock(join(dir, sweepLayout.files.lock), async () => {
      const snapshot = await this.read(ref);
      const crashed = markCrashed(snapshot, agentAlive).length > 0;
      const { result, trialsChanged } = await change(snapshot);
      if (crashed || trialsChanged)
        await atomicWriteJson(join(dir, sweepLayout.files.trials), {
          trials: snapshot.trials,
        } satisfies TrialsDocument);
      return result;
    });
  }

  async setStatus(ref: SweepRef, state: SweepStatus): Promise<SweepRecord> {
    return this.locked(ref, async ({ sweep }) => {
      applyStatus(sweep, state);
      await atomicWriteJson(join(this.dir(ref), sweepLayout.files.sweep), sweep);
      return { result: sweep, trialsChanged: false };
    });
  }

  async claim(ref: SweepRef, agent: AgentRecord): Promise<Claim> {
    return this.locked(ref, (snapshot) => {
      const claim = claimNext(snapshot, agent);
      return { result: claim, trialsChanged: claim.kind === 'trial' };
    });
  }

  async updateTrial(ref: SweepRef, trialId: string, change: Partial<TrialRecord>): Promise<TrialRecord> {
    return this.locked(ref, ({ trials }) => {
      const trial = trials.find((t) => t.id === trialId);
      if (!trial) throw new NotFoundError('SWEEP_NOT_FOUND', `trial ${trialId} is not in sweep ${ref.id}`);
      Object.assign(trial, change);
      return { result: trial, trialsChanged: true };
    });
  }

  async beat(ref: SweepRef, agent: AgentRecord): Promise<void> {
    assertSafeName('agent id', agent.id);
    const agents = join(this.dir(ref), sweepLayout.files.agents);
    await mkdir(agents, { recursive: true });
    await atomicWriteJson(join(agents, `${agent.id}.json`), agent);
  }

  async requestStop(ref: SweepRef, trialId: string, reason: string): Promise<void> {
    assertSafeName('run id', trialId);
    await this.updateTrial(ref, trialId, { stopReason: reason });
    const runDir = storePaths.run(this.store, ref.project, trialId);
    await mkdir(runDir, { recursive: true });
    await atomicWriteJson(join(runDir, RUN_FILES.stopRequest), { reason, at: new Date().toISOString() });
  }
}
