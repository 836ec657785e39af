import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RunlogError } from '../errors/runlogError.js';
import type { ResumeMode } from '../run/resume.js';
import { RUN_FILES } from '../storage/storePaths.js';
import type { RetryEvent } from '../sync/syncTransport.js';
import { downloadRun } from './onlineResume.js';
import type { OnlineTarget } from './onlineTarget.js';
import { LEASE_TTL_MS, newWriterId, RunLease } from './runLease.js';
import { refusedStatus, WriterTransport } from './writerTransport.js';

/** The connection of an online run: its transport (which names the writer), lease, and what aborts it. */
export interface OnlineSession {
  target: OnlineTarget;
  transport: WriterTransport;
  lease: RunLease;
  abort: AbortController;
  /** Told of each request the transport retries (the syncer shows it in its status at once). */
  onRetry?: (event: RetryEvent) => void;
  /** Why init could not reach the server (it warned already). */
  initError?: Error;
}

/**
 * Requests give up after 2 s of quick retries (a dropped keep-alive connection, a blip): the syncer then retries
 * with its own backoff, and finish() is never held by a request's retries.
 */
export function openSession(
  target: OnlineTarget,
  project: string,
  runId: string,
  leaseTtlMs = LEASE_TTL_MS,
): OnlineSession {
  const abort = new AbortController();
  const session: Partial<OnlineSession> = { target, abort };
  const transport = new WriterTransport(
    {
      hosts: [target.host],
      apiKey: target.apiKey,
      retry: { baseDelayMs: 250, maxDelayMs: 1000, giveUpAfterMs: 2000 },
      requestTimeoutMs: 20_000,
      signal: abort.signal,
      onRetry: (event) => session.onRetry?.(event),
    },
    newWriterId(),
  );
  session.transport = transport;
  session.lease = new RunLease(transport, `/api/v1/projects/${project}/runs/${runId}`, transport.writer, leaseTtlMs);
  return session as OnlineSession;
}

/**
 * What init does first for an online run, once it owns the local run folder: takes the run's lease (a second live
 * writer gets RUN_LEASED; a bad token or a forbidden project fails here, where the mistake is made), and when the
 * local store lacks a run it should resume, downloads it (onlineResume.ts). A server that cannot be reached does
 * not stop a new run: the syncer takes the lease once the server is back.
 */
export async function prepareOnlineRun(
  target: OnlineTarget,
  run: { project: string; id: string; dir: string; resume: ResumeMode | undefined; explicitId: boolean },
  warn: (message: string) => void,
  leaseTtlMs = LEASE_TTL_MS,
): Promise<OnlineSession> {
  const session = openSession(target, run.project, run.id, leaseTtlMs);
  const path = `${run.project}/${run.id}`;
  const local = existsSync(join(run.dir, RUN_FILES.run));
  const wantsRemote = run.explicitId && !local && run.resume !== undefined && run.resume !== 'never';
  try {
    await session.lease.renew();
    const gone = session.lease.tookOverFrom;
    if (gone !== undefined) {
      warn(`${path}: took the run's lease over from ${gone}, a process of this host that is gone`);
    }
  } catch (error) {
    if (error instanceof RunlogError && error.code === 'RUN_LEASED') throw error;
    const refusal = refusedStatus(error);
    if (refusal && refusal.status < 500) {
      const code = refusal.status === 401 ? 'UNAUTHENTICATED' : refusal.status === 403 ? 'FORBIDDEN' : 'SYNC_REFUSED';
      throw new RunlogError(code, `online run ${path} on ${target.host}: ${(error as Error).message}`);
    }
    if (wantsRemote)
      throw new RunlogError(
        'SYNC_UNAVAILABLE',
        `cannot resume ${path} from ${target.host}, and this store does not have it: ${(error as Error).message}`,
      );
    session.initError = error as Error;
    warn(
      `${target.host} cannot be reached (${(error as Error).message}); the run is written locally and streams once the server is back`,
    );
    return session;
  }
  try {
    if (local) await assertNotBehind(session, run, target.host);
    else if (wantsRemote) await downloadRun(session.transport, run.project, run.id, run.dir);
    else if (run.explicitId && !local && (run.resume === undefined || run.resume === 'never')) {
      const answer = await session.transport.json('GET', `/api/v1/projects/${run.project}/runs/${run.id}/sync`);
      const documents = (answer.body.documents ?? {}) as Record<string, unknown>;
      if (answer.status === 200 && documents['run.json'])
        throw new RunlogError(
          'RUN_EXISTS',
          `run ${path} already exists on ${target.host}: pass resume: 'allow' (or 'must') to continue it, or use another id`,
        );
    }
  } catch (error) {
    await session.lease.release();
    throw error;
  }
  return session;
}

/**
 * A local copy of a run that the server has more of (it was continued from another store since) cannot go on
 * here: its next rows would land at offsets the server already has other rows at.
 */
async function assertNotBehind(
  session: OnlineSession,
  run: { project: string; id: string; dir: string },
  host: string,
) {
  const answer = await session.transport.json('GET', `/api/v1/projects/${run.project}/runs/${run.id}/sync`);
  if (answer.status !== 200) return; // the syncer reports what the server refuses
  const streams = (answer.body.streams ?? {}) as Record<string, { hwm?: number }>;
  const serverBytes = Number(streams.history?.hwm ?? 0);
  const localBytes = statSync(join(run.dir, RUN_FILES.history), { throwIfNoEntry: false })?.size ?? 0;
  if (serverBytes > localBytes)
    throw new RunlogError(
      'RUN_EXISTS',
      `run ${run.project}/${run.id} went on elsewhere: ${host} has ${serverBytes} bytes of its history, this store ${localBytes}; resume it with another dir (it is downloaded), or use another id`,
    );
}
