import type { Run } from '../run/run.js';
import { ATTACH_ONLINE, type OnlineLink } from './onlineLink.js';
import { type OnlineSession, openSession } from './onlineSession.js';
import { OnlineSyncer, type OnlineSyncerParts } from './onlineSyncer.js';
import { dashboardUrl } from './onlineTarget.js';

export interface StartOnlineSyncOptions {
  /** The server's URL. */
  host: string;
  apiKey?: string;
  /** The project and run id on the server (default the run's own). run.json is sent with these. */
  project?: string;
  runId?: string;
  /** A session init already opened (its lease taken); else one is opened and the first send takes the lease. */
  session?: OnlineSession;
  /** More run.json fields for the server's copy (t9k's upload: its name in the folder, `uploadedFrom`). */
  runJson?: Record<string, unknown>;
  /** Maps the run's artifact versions before they are sent (t9k's upload: into the folder's project). */
  mapArtifacts?: OnlineSyncerParts['mapArtifacts'];
}

/** What the run settles on for its syncer (run/runOptions.ts). */
export interface OnlineRunSettings {
  syncTimeoutMs: number;
  syncIntervalMs: number;
  quiet: boolean;
  /** History rows this process has written to disk. */
  rowsOnDisk: () => number;
}

const BATCH_BYTES = 1 << 20;

/**
 * Streams a run to a runlog server while it trains (online mode, and t9k's autoUpload): attaches a background
 * syncer to the run — `run.status().sync`, `run.url`, and `finish()` waiting for the upload up to
 * `settings.syncTimeoutMs` — and starts it. Never blocks `log()`; failures are retried and reported, never thrown.
 * @example const link = startOnlineSync(run, { host: 'http://127.0.0.1:8080', apiKey });
 */
export function startOnlineSync(run: Run, options: StartOnlineSyncOptions): OnlineLink {
  const project = options.project ?? run.project;
  const runId = options.runId ?? run.id;
  const session =
    options.session ?? openSession({ host: options.host.replace(/\/+$/, ''), apiKey: options.apiKey }, project, runId);
  const host = session.target.host;
  let settings: OnlineRunSettings = { syncTimeoutMs: 30_000, syncIntervalMs: 1000, quiet: false, rowsOnDisk: () => 0 };
  const syncer = new OnlineSyncer({
    transport: session.transport,
    lease: session.lease,
    abort: session.abort,
    host,
    storeDir: run.storeDir,
    project,
    runId,
    dir: run.dir,
    batchBytes: BATCH_BYTES,
    get intervalMs() {
      return settings.syncIntervalMs;
    },
    rowsOnDisk: () => settings.rowsOnDisk(),
    reportError: (error, context) => run.reportError(error, context),
    rename:
      project !== run.project || runId !== run.id || options.runJson
        ? { ...options.runJson, project, id: runId }
        : undefined,
    mapArtifacts: options.mapArtifacts,
  });
  session.onRetry = (event) => syncer.noteRetry(event.reason);
  if (session.initError) syncer.startedUnreachable(session.initError);
  const url = dashboardUrl(host, project, runId);
  const link: OnlineLink = {
    host,
    url,
    status: () => syncer.status(),
    async finish() {
      const complete = await syncer.finish(settings.syncTimeoutMs);
      if (complete || settings.quiet) return;
      const { pendingBytes } = syncer.status();
      process.stderr.write(
        `runlog: ${host} has not acknowledged all of run ${project}/${runId} after ${Math.round(settings.syncTimeoutMs / 1000)} s (${pendingBytes} bytes of streams pending); the run is complete in ${run.dir}: send the rest with \`runlog sync ${run.dir} --host ${host}\`\n`,
      );
    },
    stop: () => {
      syncer.stop();
      session.abort.abort();
    },
  };
  settings = run[ATTACH_ONLINE](link);
  syncer.start();
  return link;
}
