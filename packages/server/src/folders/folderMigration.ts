import type { Migration } from '../db/schema.js';

/**
 * t9k's folders and uploads (docs/PROTOCOL.md, "Folders and t9k uploads"). A folder is a project path: each row
 * maps an absolute path (`/alice/cv/mnist`) to the project that holds its runs (`alice.cv.mnist`); both are unique,
 * so two paths that would share a project are refused. `run_uploads` are replace-uploads in progress: the new copy
 * is synced into `staging_run_id` and swapped in at commit. `replaced_run_data` lists runs replaced whose history
 * and stream rows are kept a few minutes, so a read that found the old run just before the swap ends on its rows.
 */
export const FOLDER_MIGRATION: Migration = {
  version: 4,
  name: 'folders, run uploads, replaced run data',
  sql: `
CREATE TABLE folders (
  path text PRIMARY KEY,
  project text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE run_uploads (
  id text PRIMARY KEY,
  project text NOT NULL,
  staging_run_id text NOT NULL,
  target_run_id text NOT NULL,
  token_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project, staging_run_id)
);

CREATE TABLE replaced_run_data (
  run_pk bigint PRIMARY KEY,
  replaced_at timestamptz NOT NULL DEFAULT now()
);
`,
};
