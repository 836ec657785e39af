import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary store, removed by `cleanup`. */
export async function tempStore(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runlog-sweeps-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** init() settings for quiet test trials. */
export const QUIET = { systemMetrics: false, console: false, quiet: true } as const;
