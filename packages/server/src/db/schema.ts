import { FOLDER_MIGRATION } from '../folders/folderMigration.js';
import { LEASE_MIGRATION } from '../ingest/runLeases.js';
import { SWEEP_MIGRATION } from '../sweeps/sweepMigration.js';

/** One versioned migration: applied once, in order, in its own transaction. Released migrations never change. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The server's schema, PostgreSQL 15 features only (PGlite runs the same SQL). Runs are addressed by
 * (project, run_id) and referenced by their `pk` everywhere else; history rows carry no foreign key (a run's
 * rows are removed with the run by `deleteRun`) so that bulk ingestion checks only the primary key. Stream rows
 * are `json`, not `jsonb`: kept as the client wrote them (key order, number text), and cheaper to ingest; the
 * statistics charts need are computed at ingestion into history_blocks.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, streams, history, blobs, artifacts, tokens',
    sql: `
CREATE TABLE runs (
  pk bigserial PRIMARY KEY,
  project text NOT NULL,
  run_id text NOT NULL,
  name text,
  state text,
  tags text[] NOT NULL DEFAULT '{}',
  group_name text,
  job_type text,
  created_at timestamptz,
  updated_at timestamptz,
  record jsonb NOT NULL DEFAULT '{}',
  summary jsonb NOT NULL DEFAULT '{}',
  metrics jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project, run_id)
);
CREATE INDEX runs_project_created ON runs (project, created_at);

CREATE TABLE run_streams (
  run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
  stream text NOT NULL,
  hwm bigint NOT NULL DEFAULT 0,
  rows bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (run_pk, stream)
);

CREATE TABLE run_documents (
  run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
  name text NOT NULL,
  seq double precision NOT NULL,
  body jsonb NOT NULL,
  PRIMARY KEY (run_pk, name)
);

CREATE TABLE history_rows (
  run_pk bigint NOT NULL,
  step bigint NOT NULL,
  byte_offset bigint NOT NULL,
  row json NOT NULL,
  PRIMARY KEY (run_pk, step)
);

CREATE TABLE history_blocks (
  run_pk bigint NOT NULL,
  block integer NOT NULL,
  start_offset bigint NOT NULL,
  end_offset bigint NOT NULL,
  rows integer NOT NULL,
  first_step bigint NOT NULL,
  last_step bigint NOT NULL,
  keys jsonb NOT NULL,
  PRIMARY KEY (run_pk, block)
);

CREATE TABLE stream_lines (
  run_pk bigint NOT NULL,
  stream text NOT NULL,
  byte_offset bigint NOT NULL,
  line json NOT NULL,
  PRIMARY KEY (run_pk, stream, byte_offset)
);

CREATE TABLE run_output (
  run_pk bigint NOT NULL,
  byte_offset bigint NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (run_pk, byte_offset)
);

CREATE TABLE blobs (
  sha256 text PRIMARY KEY,
  size bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE blob_uploads (
  id text PRIMARY KEY,
  sha256 text NOT NULL,
  size bigint NOT NULL,
  part_size bigint NOT NULL,
  storage_upload_id text,
  staging_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (sha256, size)
);

CREATE TABLE blob_upload_parts (
  upload_id text NOT NULL REFERENCES blob_uploads (id) ON DELETE CASCADE,
  number integer NOT NULL,
  etag text NOT NULL,
  size bigint NOT NULL,
  PRIMARY KEY (upload_id, number)
);

CREATE TABLE run_files (
  run_pk bigint NOT NULL REFERENCES runs (pk) ON DELETE CASCADE,
  path text NOT NULL,
  sha256 text NOT NULL REFERENCES blobs (sha256),
  size bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_pk, path)
);

CREATE TABLE artifact_collections (
  pk bigserial PRIMARY KEY,
  project text NOT NULL,
  name text NOT NULL,
  type text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_version integer,
  UNIQUE (project, name)
);

CREATE TABLE artifact_versions (
  collection_pk bigint NOT NULL REFERENCES artifact_collections (pk) ON DELETE CASCADE,
  version integer NOT NULL,
  digest text NOT NULL,
  record jsonb NOT NULL,
  manifest jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection_pk, version),
  UNIQUE (collection_pk, digest)
);

CREATE TABLE artifact_aliases (
  collection_pk bigint NOT NULL REFERENCES artifact_collections (pk) ON DELETE CASCADE,
  alias text NOT NULL,
  version integer NOT NULL,
  PRIMARY KEY (collection_pk, alias)
);

CREATE TABLE tokens (
  id text PRIMARY KEY,
  secret_sha256 bytea NOT NULL,
  project text,
  role text NOT NULL CHECK (role IN ('read', 'write', 'admin')),
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
`,
  },
  SWEEP_MIGRATION,
  LEASE_MIGRATION,
  FOLDER_MIGRATION,
];
