import type { OnlineSyncStatus } from './onlineSyncer.js';

/** The method a Run takes its online syncer by (not public API: see startOnlineSync). */
export const ATTACH_ONLINE: unique symbol = Symbol.for('runlog.attachOnline');

/** What a run knows of its online syncer. */
export interface OnlineLink {
  host: string;
  /** The run's page on the server's dashboard. */
  url: string;
  status(): OnlineSyncStatus;
  /** At the end of the run, once its files are complete: the rest is sent, up to settings.syncTimeoutMs. */
  finish(): Promise<void>;
  /** A dying process: timers and requests stop; the lease expires on its own. */
  stop(): void;
}
