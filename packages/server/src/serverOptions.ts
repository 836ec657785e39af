import { resolve } from 'node:path';
import type { S3Options } from './blobs/s3BlobStore.js';
import type { DashboardFactory } from './http/dashboardMount.js';
import type { RateLimit } from './http/rateLimiter.js';

export interface ServerOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 8080; 0 for any free one). */
  port?: number;
  /** The data folder: the embedded database and the blob folder (default ./runlog-server). */
  data?: string;
  /** PostgreSQL >= 15 instead of the embedded database (default $RUNLOG_DATABASE_URL). */
  databaseUrl?: string;
  /** S3-compatible blob storage instead of the folder (default $RUNLOG_S3_ENDPOINT / $RUNLOG_S3_BUCKET). */
  s3?: S3Options;
  /** Serve without tokens, as an admin for every caller: refused unless `host` is a loopback address. */
  noAuth?: boolean;
  /** Host names requests may name (default: loopback names when bound to loopback, else any). */
  allowedHosts?: string[];
  /** Web origins allowed to call the API from a browser (CORS); default none. */
  corsOrigins?: string[];
  /** Requests per token (default 200/s, bursts of 1000). */
  rateLimit?: RateLimit;
  /** Part size of blob uploads in bytes (default 64 MiB, at least 5 MiB for S3). */
  partSize?: number;
  /** Connections to PostgreSQL per replica (default 10). */
  maxConnections?: number;
  /** Where unexpected errors are reported (default stderr). */
  logError?: (message: string) => void;
  /**
   * Serves a dashboard at `/` reading through the server's own endpoints with the caller's token: pass
   * `(access) => createDashboardHandler({ access })` from @runlog/ui (`runlog server` does).
   */
  dashboard?: DashboardFactory;
}

/** Where the database and blobs are: options first, then RUNLOG_* environment variables, then the data folder. */
export interface StorageChoice {
  data: string;
  databaseUrl?: string;
  s3?: S3Options;
}

export function resolveStorage(
  options: Pick<ServerOptions, 'data' | 'databaseUrl' | 's3'>,
  env = process.env,
): StorageChoice {
  const endpoint = env.RUNLOG_S3_ENDPOINT;
  const bucket = env.RUNLOG_S3_BUCKET;
  return {
    data: resolve(options.data ?? 'runlog-server'),
    databaseUrl: options.databaseUrl ?? (env.RUNLOG_DATABASE_URL || undefined),
    s3: options.s3 ?? (endpoint && bucket ? { endpoint, bucket } : undefined),
  };
}
