import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStoreAccess, init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from './buildStore.js';

// Issue #19 item 11: a run folder (or a project, or a runs folder) that is a symbolic link is not part of the store.

let dir: string;
let outside: string;
let dashboard: Dashboard;
let runId: string;
const project = 'links';
const SECRET = 'secret outside the store';

beforeAll(async () => {
  const root = await mkdtemp(join(tmpdir(), 'runlog-ui-links-'));
  dir = join(root, 'store');
  outside = join(root, 'outside');
  const run = await init({ project, dir, name: 'real', settings: TEST_SETTINGS });
  run.log({ loss: 1 });
  await run.finish();
  runId = run.id;
  // A folder outside the store dressed as a run (run.json copied), then linked in three ways.
  const fake = join(outside, 'proj', 'runs', 'fake');
  await mkdir(join(fake, 'files'), { recursive: true });
  await copyFile(join(run.dir, 'run.json'), join(fake, 'run.json'));
  await writeFile(join(fake, 'files', 'secret.txt'), SECRET);
  await symlink(fake, join(dir, project, 'runs', 'linked'));
  await symlink(run.dir, join(dir, project, 'runs', 'alias')); // a link inside the store is refused too
  await symlink(join(outside, 'proj'), join(dir, 'linkedproject'));
  await mkdir(join(dir, 'linkedruns'), { recursive: true });
  await symlink(join(outside, 'proj', 'runs'), join(dir, 'linkedruns', 'runs'));
  dashboard = await startDashboard({ dir, port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(join(dir, '..'), { recursive: true, force: true });
});

const get = (path: string) => fetch(new URL(path, dashboard.url));

describe('a run folder reached through a symbolic link', () => {
  it('is not served by /files nor read by the API', async () => {
    for (const [p, id] of [
      [project, 'linked'],
      [project, 'alias'],
      ['linkedproject', 'fake'],
      ['linkedruns', 'fake'],
    ]) {
      const file = await get(`/files/${p}/${id}/files/secret.txt`);
      expect(file.status, `${p}/${id}`).toBe(404);
      expect(await file.text()).not.toContain(SECRET);
      for (const path of ['', '/files', '/keys', '/output']) {
        const response = await get(`/api/runs/${p}/${id}${path}`);
        expect(response.status, `${p}/${id}${path}`).toBe(404);
        expect((await response.json()).error.code).toBe('RUN_NOT_FOUND');
      }
    }
    // The real run and a store root that is itself a link still work.
    expect((await get(`/api/runs/${project}/${runId}`)).status).toBe(200);
    const linkedRoot = join(dir, '..', 'store-link');
    await symlink(dir, linkedRoot);
    const access = new FileStoreAccess(linkedRoot);
    expect((await access.readRun({ project, id: runId })).record.name).toBe('real');
    await expect(access.readFile({ project, id: 'linked' }, 'files/secret.txt')).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
  });
});
