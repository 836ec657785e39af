import type { Queryable } from '../db/database.js';
import type { Migration } from '../db/schema.js';
import { ServerError } from '../http/serverError.js';

/**
 * Run leases (docs/PROTOCOL.md, "Leases"): at most one live writer per run. A lease names its writer and expires
 * on the server's clock unless renewed; it is keyed by (project, run_id), not by the run's row, so a writer can
 * hold it before the run's first byte arrives.
 */
export const LEASE_MIGRATION: Migration = {
  version: 3,
  name: 'run leases',
  sql: `
CREATE TABLE run_leases (
  project text NOT NULL,
  run_id text NOT NULL,
  writer text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (project, run_id)
);
`,
};

export const DEFAULT_LEASE_TTL_MS = 30_000;
export const MIN_LEASE_TTL_MS = 1_000;
export const MAX_LEASE_TTL_MS = 600_000;

export interface LeaseAnswer {
  writer: string;
  ttlMs: number;
  expiresAt: string;
  /** True when this call took the lease (first time, or after another writer's lease expired). */
  acquired: boolean;
}

/**
 * Takes or renews the lease of a run for `writer`, in one statement: it succeeds when nobody holds the run, when
 * `writer` holds it already (a renewal), when the holder's lease expired, or when the holder is `replaces` (a
 * writer the client found dead: on its own host, under a pid no longer alive; the server cannot check that).
 * Otherwise 409 RUN_LEASED with when the holder's lease ends.
 */
export async function takeLease(
  db: Queryable,
  project: string,
  runId: string,
  writer: string,
  ttlMs: number,
  replaces?: string,
): Promise<LeaseAnswer> {
  const { rows } = await db.query<{ expires_at: Date; acquired: boolean }>(
    `INSERT INTO run_leases AS l (project, run_id, writer, expires_at)
       VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     ON CONFLICT (project, run_id) DO UPDATE
       SET writer = excluded.writer, expires_at = excluded.expires_at,
           acquired_at = CASE WHEN l.writer = excluded.writer THEN l.acquired_at ELSE now() END
       WHERE l.writer = excluded.writer OR l.expires_at <= now() OR l.writer = $5
     RETURNING expires_at, (acquired_at = now()) AS acquired`,
    [project, runId, writer, ttlMs, replaces ?? null],
  );
  if (rows.length === 1) {
    return { writer, ttlMs, expiresAt: rows[0].expires_at.toISOString(), acquired: rows[0].acquired };
  }
  const holder = await liveHolder(db, project, runId);
  throw leased(project, runId, holder);
}

/** Ends `writer`'s lease (a finished run); another writer's lease is left alone. */
export async function releaseLease(db: Queryable, project: string, runId: string, writer: string): Promise<boolean> {
  const { rowCount } = await db.query('DELETE FROM run_leases WHERE project = $1 AND run_id = $2 AND writer = $3', [
    project,
    runId,
    writer,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The writer holding a live (unexpired) lease on the run, if any. */
export async function liveHolder(
  db: Queryable,
  project: string,
  runId: string,
): Promise<{ writer: string; expiresAt: Date } | undefined> {
  const { rows } = await db.query<{ writer: string; expires_at: Date }>(
    'SELECT writer, expires_at FROM run_leases WHERE project = $1 AND run_id = $2 AND expires_at > now()',
    [project, runId],
  );
  return rows[0] ? { writer: rows[0].writer, expiresAt: rows[0].expires_at } : undefined;
}

/** 409 RUN_LEASED: another writer holds the run (or a race made it vanish: then retrying succeeds). */
export function leased(project: string, runId: string, holder: { writer: string; expiresAt: Date } | undefined) {
  const until = holder?.expiresAt ?? new Date();
  return new ServerError(
    409,
    'RUN_LEASED',
    `run ${project}/${runId} is being written by another process (${holder?.writer ?? 'unknown'}) until ${until.toISOString()} unless it renews its lease`,
    { holder: holder?.writer ?? null, expiresAt: until.toISOString() },
  );
}
