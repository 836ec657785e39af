import { readdir } from 'node:fs/promises';
import type { FileStoreAccess } from '@runlog/core';
import { assertSafeName } from '@runlog/core/internal';
import { HttpError } from './httpError.js';
import { sendJson } from './httpResponses.js';
import { type Route, route } from './route.js';
import { projectName } from './runRef.js';

type Sweeps = typeof import('@runlog/sweeps');
let sweepsModule: Promise<Sweeps> | undefined;
/** Loaded on the first sweep request: a dashboard without sweeps never pays for the package. */
const loadSweeps = () => {
  sweepsModule ??= import('@runlog/sweeps');
  return sweepsModule;
};

function sweepId(id: string | undefined): string {
  try {
    assertSafeName('sweep id', id);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  return id;
}

/**
 * The sweeps of a project (GET /api/projects/:project/sweeps) and one sweep's report with its trials' runs
 * (GET /api/projects/:project/sweeps/:id), read through @runlog/sweeps' SweepState on the dashboard's store.
 */
export function sweepRoutes(access: FileStoreAccess): Route[] {
  const storeDir = access.dir;
  return [
    route('GET', '/api/projects/:project/sweeps', async ({ res, params }) => {
      const project = projectName(params.project);
      const { FileSweepState, sweepLayout, sweepReport } = await loadSweeps();
      const state = new FileSweepState(storeDir);
      const ids = await readdir(sweepLayout.sweeps(storeDir, project)).catch(() => [] as string[]);
      const sweeps = [];
      for (const id of ids.sort()) {
        const report = await state
          .snapshot({ project, id })
          .then(sweepReport)
          .catch(() => undefined); // a folder that is not a sweep, or one being created
        if (!report) continue;
        sweeps.push({
          id,
          name: report.config.name ?? null,
          method: report.config.method,
          metric: report.config.metric ?? null,
          state: report.state,
          createdAt: report.sweep.createdAt,
          trials: report.trials.length,
          counts: report.counts,
          best: report.best ? { id: report.best.id, number: report.best.number, value: report.best.value } : null,
        });
      }
      sendJson(res, { sweeps: sweeps.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)) });
    }),
    route('GET', '/api/projects/:project/sweeps/:id', async ({ res, params }) => {
      const project = projectName(params.project);
      const id = sweepId(params.id);
      const { FileSweepState, sweepReport } = await loadSweeps();
      const report = sweepReport(await new FileSweepState(storeDir).snapshot({ project, id }));
      const listing = await access.listRuns({ project }).catch(() => ({ runs: [] }));
      const runs = new Map(listing.runs.map((run) => [run.record.id, { name: run.record.name, state: run.state }]));
      const { raw: _raw, ...config } = report.config;
      sendJson(res, {
        ...report,
        config,
        runs: Object.fromEntries(
          report.trials.map((t) => [
            t.id,
            runs.has(t.id) ? { name: runs.get(t.id)!.name, state: runs.get(t.id)!.state } : null,
          ]),
        ),
      });
    }),
  ];
}
