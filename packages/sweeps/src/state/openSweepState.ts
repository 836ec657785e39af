import { FileSweepState } from './fileSweepState.js';
import { ServerSweepState } from './serverSweepState.js';
import type { SweepState } from './sweepState.js';

export interface SweepBackendOptions {
  /** The local store (default $RUNLOG_DIR, else ./runlog): the sweep state without a server, the trials' runs. */
  dir?: string;
  /** A runlog server holding the sweep (default $RUNLOG_HOST when `dir` is not given). */
  host?: string;
  /** Its token (default $RUNLOG_API_KEY). */
  apiKey?: string;
}

/**
 * The sweep backend: a runlog server when `host` (or $RUNLOG_HOST) is given, so agents on several machines share
 * the sweep; else the local store. As the CLI's --host rule: an explicit `dir` without `host` keeps it local.
 */
export function openSweepState(options: SweepBackendOptions = {}, env: NodeJS.ProcessEnv = process.env): SweepState {
  const host = options.host ?? (options.dir === undefined ? env.RUNLOG_HOST || undefined : undefined);
  if (host === undefined) return new FileSweepState(options.dir);
  return new ServerSweepState({ host, apiKey: options.apiKey ?? (env.RUNLOG_API_KEY || undefined), dir: options.dir });
}
