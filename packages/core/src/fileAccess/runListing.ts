import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunData, RunListing, RunQuery, SkippedRun } from '../access/runData.js';
import { compileRunFilter } from '../api/runFilter.js';
import { compileRunOrder } from '../api/runOrder.js';
import type { RunDataCache } from './runDataCache.js';
import { loadRunSnapshot } from './runSnapshot.js';

/** Run folders read at once. */
const LOADS_AT_ONCE = 200;

/**
 * Lists the runs of run folders (`{ project, runsDir }`), matched by the query's filter and sorted by its order.
 * A folder that cannot be read is listed in `skipped`, never fatal.
 */
export async function listRunFolders(
  folders: readonly { project: string; runsDir: string }[],
  query: RunQuery,
  cache: RunDataCache,
): Promise<RunListing> {
  const matches = compileRunFilter(query.filters);
  const compare = compileRunOrder(query.order);
  const candidates: { project: string; id: string; dir: string }[] = [];
  for (const { project, runsDir } of folders) {
    const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
    const present = new Set<string>();
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const dir = join(runsDir, entry.name);
      present.add(dir);
      candidates.push({ project, id: entry.name, dir });
    }
    cache.prune(runsDir, present);
  }
  const runs: RunData[] = [];
  const skipped: SkippedRun[] = [];
  for (let i = 0; i < candidates.length; i += LOADS_AT_ONCE) {
    const batch = candidates.slice(i, i + LOADS_AT_ONCE);
    const results = await Promise.allSettled(
      batch.map((c) => cache.get(c.dir, () => loadRunSnapshot(c.dir, c.project, c.id))),
    );
    results.forEach((result, j) => {
      if (result.status === 'fulfilled') runs.push(result.value);
      else skipped.push({ path: `${batch[j].project}/${batch[j].id}`, reason: (result.reason as Error).message });
    });
  }
  return { runs: runs.filter(matches).sort(compare), skipped };
}
