import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from '@runlog/core';
import type { RunRecord } from './dashboardStore.js';

/** States whose record can change without its files changing (the heartbeat decides running vs crashed). */
const LIVE_STATES = new Set(['running', 'preempting', 'pending']);
const LOADS_AT_ONCE = 200;

/**
 * The runs of a project as last read, revalidated on each listing by the modification times and sizes of
 * run.json and summary.json: a run whose two files did not change (and that is not live) is not read again.
 * Listing 1,000 finished runs then costs 2,000 stats instead of 1,000 full reads. Runs are read by `load`
 * (core's read API); a folder that cannot be read is left out, as the read API's listing does.
 */
export class RunRecordCache {
  private readonly entries = new Map<string, { stamp: string; record: RunRecord }>();

  async list(runsDir: string, load: (id: string) => Promise<RunRecord>): Promise<RunRecord[]> {
    const ids = await readdir(runsDir, { withFileTypes: true }).then(
      (entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name),
      () => [] as string[],
    );
    const records: Array<RunRecord | undefined> = new Array(ids.length);
    const misses: Array<{ index: number; id: string; stamp: string }> = [];
    await Promise.all(
      ids.map(async (id, index) => {
        const stamp = await stampOf(join(runsDir, id));
        const cached = this.entries.get(join(runsDir, id));
        if (cached && stamp && cached.stamp === stamp && !LIVE_STATES.has(cached.record.state))
          records[index] = cached.record;
        else misses.push({ index, id, stamp });
      }),
    );
    for (let i = 0; i < misses.length; i += LOADS_AT_ONCE) {
      await Promise.all(
        misses.slice(i, i + LOADS_AT_ONCE).map(async ({ index, id, stamp }) => {
          const record = await load(id).catch(() => undefined);
          records[index] = record;
          const key = join(runsDir, id);
          if (record && stamp) this.entries.set(key, { stamp, record });
          else this.entries.delete(key);
        }),
      );
    }
    const present = new Set(ids.map((id) => join(runsDir, id)));
    for (const key of this.entries.keys()) if (key.startsWith(runsDir) && !present.has(key)) this.entries.delete(key);
    return records.filter((r): r is RunRecord => r !== undefined);
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
