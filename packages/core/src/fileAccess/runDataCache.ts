import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunData } from '../access/runData.js';
import { LIVE_STATES, type RunState } from '../run/runState.js';
import { RUN_FILES } from '../storage/storePaths.js';

/** States whose data can change without run.json or summary.json changing (the heartbeat decides crashed). */
const isVolatile = (state: RunState) => state === 'pending' || LIVE_STATES.has(state);

/**
 * Runs as last read, revalidated on each listing by the modification times and sizes of run.json and summary.json:
 * a run whose two documents did not change (and that is not live) is not read again. Listing 1,000 finished runs
 * then costs 2,000 stats instead of 1,000 full reads (the dashboard lists a project on every visit).
 */
export class RunDataCache {
  private readonly entries = new Map<string, { stamp: string; data: RunData }>();

  /** The run of `runDir`, from the cache when its documents did not change, else from `load`. */
  async get(runDir: string, load: () => RunData): Promise<RunData> {
    const stamp = await stampOf(runDir);
    const cached = this.entries.get(runDir);
    if (cached && stamp && cached.stamp === stamp && !isVolatile(cached.data.state)) return cached.data;
    try {
      const data = load();
      if (stamp) this.entries.set(runDir, { stamp, data });
      return data;
    } catch (error) {
      this.entries.delete(runDir);
      throw error;
    }
  }

  /** Drops the runs of `runsDir` not in `present` (deleted folders). */
  prune(runsDir: string, present: ReadonlySet<string>): void {
    for (const key of this.entries.keys()) if (key.startsWith(runsDir) && !present.has(key)) this.entries.delete(key);
  }
}

async function stampOf(runDir: string): Promise<string> {
  const [run, summary] = await Promise.all(
    [RUN_FILES.run, RUN_FILES.summary].map((name) =>
      stat(join(runDir, name)).then(
        (s) => `${s.mtimeMs}:${s.size}`,
        () => '-',
      ),
    ),
  );
  return run === '-' ? '' : `${run}|${summary}`;
}
