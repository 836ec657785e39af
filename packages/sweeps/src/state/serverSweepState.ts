import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJson, encodeJson, NotFoundError, RunlogError, type RunlogErrorCode } from '@runlog/core';
import { atomicWriteJson, RUN_FILES, resolveStoreDir, storePaths } from '@runlog/core/internal';
import type { SweepConfig } from '../config/sweepConfig.js';
import type { AgentRecord, SweepRecord, SweepSnapshot, SweepStatus, TrialRecord } from './sweepRecords.js';
import type { Claim, SweepRef, SweepState } from './sweepState.js';

export interface ServerSweepStateOptions {
  /** The runlog server, `http://host:port`. */
  host: string;
  /** A token with the write role on the sweep's project (read is enough to look). */
  apiKey?: string;
  /** The local store the trials' runs are written to (stop requests reach them there). */
  dir?: string;
}

/**
 * The sweep state on a runlog server (docs/SERVER.md, "Sweeps"): agents on several machines share one sweep.
 * The server decides each claim in one database transaction with the same rules as the local store; the trials'
 * runs stay in the agent's local store (`dir`), from where `runlog sync` can send them.
 */
export class ServerSweepState implements SweepState {
  readonly host: string;
  readonly store: string;
  private readonly apiKey: string | undefined;

  constructor(options: ServerSweepStateOptions) {
    if (!/^https?:\/\/[^/]+/.test(options.host))
      throw new RunlogError(
        'INVALID_ARGUMENT',
        `host must be http(s)://host[:port], got ${JSON.stringify(options.host)}`,
      );
    this.host = options.host.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.store = resolveStoreDir(options.dir);
  }

  private sweepPath({ project, id }: SweepRef): string {
    return `/api/v1/projects/${encodeURIComponent(project)}/sweeps/${encodeURIComponent(id)}`;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.host}${path}`, {
        method,
        headers: {
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : encodeJson(body),
      });
    } catch (error) {
      const message = `runlog server ${this.host} cannot be reached: ${(error as Error).message}`;
      throw new RunlogError('STORAGE', message, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      let error: { code?: string; message?: string } = {};
      try {
        error = (JSON.parse(text) as { error?: typeof error }).error ?? {};
      } catch {}
      const message = `runlog server ${this.host}: ${error.message ?? `${method} ${path} answered ${response.status}`}`;
      throw errorOf(response.status, error.code, message);
    }
    return decodeJson(text) as T;
  }

  create(project: string, config: SweepConfig): Promise<SweepRecord> {
    return this.call('POST', `/api/v1/projects/${encodeURIComponent(project)}/sweeps`, { config: config.raw });
  }

  async resolve(ref: string): Promise<SweepRef> {
    const parts = String(ref).split('/');
    if (parts.length > 2 || parts.some((p) => p === ''))
      throw new RunlogError('INVALID_ARGUMENT', `a sweep is "id" or "project/id", got ${JSON.stringify(ref)}`);
    if (parts.length === 1) return this.call('GET', `/api/v1/sweeps/${encodeURIComponent(parts[0])}`);
    const found = { project: parts[0], id: parts[1] };
    await this.snapshot(found);
    return found;
  }

  snapshot(ref: SweepRef): Promise<SweepSnapshot> {
    return this.call('GET', this.sweepPath(ref));
  }

  setStatus(ref: SweepRef, state: SweepStatus): Promise<SweepRecord> {
    return this.call('PUT', `${this.sweepPath(ref)}/state`, { state });
  }

  claim(ref: SweepRef, agent: AgentRecord): Promise<Claim> {
    return this.call('POST', `${this.sweepPath(ref)}/claim`, { agent });
  }

  updateTrial(ref: SweepRef, trialId: string, change: Partial<TrialRecord>): Promise<TrialRecord> {
    return this.call('PATCH', `${this.sweepPath(ref)}/trials/${encodeURIComponent(trialId)}`, { change });
  }

  async beat(ref: SweepRef, agent: AgentRecord): Promise<void> {
    await this.call('PUT', `${this.sweepPath(ref)}/agents/${encodeURIComponent(agent.id)}`, { agent });
  }

  /** Records why on the server, and asks the trial's run (in this machine's store) to stop. */
  async requestStop(ref: SweepRef, trialId: string, reason: string): Promise<void> {
    await this.updateTrial(ref, trialId, { stopReason: reason });
    const runDir = storePaths.run(this.store, ref.project, trialId);
    await mkdir(runDir, { recursive: true });
    await atomicWriteJson(join(runDir, RUN_FILES.stopRequest), { reason, at: new Date().toISOString() });
  }
}

const PASSED_ON = new Set<string>(['SWEEP_NOT_FOUND', 'SWEEP_STATE', 'SWEEP_CONFIG_INVALID', 'INVALID_ARGUMENT']);

/** The server's error as the local store would throw it: sweep codes kept, a missing project a missing sweep. */
function errorOf(status: number, code: string | undefined, message: string): RunlogError {
  if (status === 404) return new NotFoundError('SWEEP_NOT_FOUND', message);
  if (code !== undefined && PASSED_ON.has(code)) return new RunlogError(code as RunlogErrorCode, message);
  if (status >= 400 && status < 500) return new RunlogError('INVALID_ARGUMENT', `${message} (${code ?? status})`);
  return new RunlogError('STORAGE', `${message} (${code ?? status})`);
}
