import type { Migration } from '../db/schema.js';

/**
 * Sweeps on the server (packages/sweeps' SweepState over HTTP): the sweep's record, one row per trial and per
 * agent, each row's document kept whole in `record` (runlog's value codec: NaN as {"_type":"float",...}). A grid
 * point is claimed at most once by a live trial: the partial unique index refuses a second one even if two
 * claims raced past the sweep's row lock. Agents' heartbeats carry the server's clock (`seen_at`).
 */
export const SWEEP_MIGRATION: Migration = {
  version: 2,
  name: 'sweeps, sweep trials, sweep agents',
  sql: `
CREATE TABLE sweeps (
  pk bigserial PRIMARY KEY,
  project text NOT NULL,
  sweep_id text NOT NULL,
  record jsonb NOT NULL,
  UNIQUE (project, sweep_id)
);
CREATE INDEX sweeps_id ON sweeps (sweep_id);

CREATE TABLE sweep_trials (
  sweep_pk bigint NOT NULL REFERENCES sweeps (pk) ON DELETE CASCADE,
  trial_id text NOT NULL,
  number integer NOT NULL,
  grid_index integer,
  state text NOT NULL,
  record jsonb NOT NULL,
  PRIMARY KEY (sweep_pk, trial_id),
  UNIQUE (sweep_pk, number)
);
CREATE UNIQUE INDEX sweep_trials_grid_point ON sweep_trials (sweep_pk, grid_index)
  WHERE grid_index IS NOT NULL AND state <> 'crashed';

CREATE TABLE sweep_agents (
  sweep_pk bigint NOT NULL REFERENCES sweeps (pk) ON DELETE CASCADE,
  agent_id text NOT NULL,
  record jsonb NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sweep_pk, agent_id)
);
`,
};
