// The file store's listing cache: a run whose run.json and summary.json did not change (and that is not live) is
// not read again, so the dashboard lists 1,000 finished runs with stats instead of reads.
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunData } from '../src/access/runData.js';
import { RunDataCache } from '../src/fileAccess/runDataCache.js';
import { listRunFolders } from '../src/fileAccess/runListing.js';
import { FileStoreAccess } from '../src/index.js';
import { quietInit, tempStore } from './helpers.js';

class CountingCache extends RunDataCache {
  readonly loads: string[] = [];
  override get(runDir: string, load: () => RunData): Promise<RunData> {
    return super.get(runDir, () => {
      this.loads.push(basename(runDir));
      return load();
    });
  }
}

describe('the runs listing of a folder store', () => {
  it('reads again only the runs whose run.json or summary.json changed, and every live run', async () => {
    const dir = tempStore('runlog-listing-');
    const access = new FileStoreAccess(dir);
    const cache = new CountingCache();
    const list = async () =>
      (await listRunFolders([{ project: 'cache', runsDir: join(dir, 'cache', 'runs') }], { order: 'name' }, cache))
        .runs;
    const a = await quietInit(dir, { project: 'cache', name: 'a' });
    await a.finish();
    const b = await quietInit(dir, { project: 'cache', name: 'b' });
    await b.finish();
    const live = await quietInit(dir, { project: 'cache', name: 'live' });
    expect((await list()).map((r) => r.record.name)).toEqual(['a', 'b', 'live']);
    expect(cache.loads).toHaveLength(3);
    cache.loads.length = 0;
    await list();
    expect(cache.loads).toEqual([live.id]);
    cache.loads.length = 0;
    await access.updateRun({ project: 'cache', id: a.id }, { tags: ['edited'] });
    const listed = await list();
    expect(cache.loads.sort()).toEqual([a.id, live.id].sort());
    expect(listed.find((r) => r.record.id === a.id)?.record.tags).toEqual(['edited']);
    await live.finish();
    await access.deleteRun({ project: 'cache', id: b.id });
    expect((await list()).map((r) => r.record.name)).toEqual(['a', 'live']);
  });
});
