import { join } from 'node:path';
import {
  Api,
  HistoryScan,
  listCollections,
  listVersions,
  NotFoundError,
  RUN_FILES,
  type RunView,
  readJson,
  readJsonLines,
  resolveArtifact,
  storePaths,
} from '@runlog/core';
import type {
  AlertRecord,
  ArtifactVersionInfo,
  DashboardStore,
  HistoryStream,
  MetricDefinition,
  RunDetail,
  RunRecord,
} from './dashboardStore.js';
import { RunRecordCache } from './runRecordCache.js';

const PAGE_SIZE = 4096;
/** Run folders read at once when listing a project. */
const LIST_CONCURRENCY = 200;

const streamFile = (stream: HistoryStream) => (stream === 'system' ? RUN_FILES.system : RUN_FILES.history);

/**
 * The dashboard's view of a store, through core's read API (`Api`, `RunView`, the artifact queries). Two things
 * the read API has no accessor for are read with core's own readers: defineMetric definitions (metrics.json) and
 * alerts (alerts.jsonl); and the system stream is scanned with core's `HistoryScan`.
 */
export function apiDashboardStore(dir: string): DashboardStore {
  const api = new Api({ dir });
  const view = (project: string, id: string) => api.run(`${project}/${id}`);
  const runDir = (project: string, id: string) => storePaths.run(api.dir, project, id);
  const runCache = new RunRecordCache();

  async function detail(run: RunView): Promise<RunDetail> {
    const metrics = await readJson<{ definitions?: MetricDefinition[] }>(join(run.dir, RUN_FILES.metrics)).catch(
      () => undefined,
    );
    return {
      ...record(run),
      metadata: run.metadata,
      exitCode: run.exitCode,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      lastHistoryStep: run.lastHistoryStep >= 0 ? run.lastHistoryStep : null,
      metrics: Array.isArray(metrics?.definitions) ? metrics.definitions : [],
    };
  }

  return {
    dir: api.dir,
    async projects() {
      return (await api.projects()).map((p) => p.name);
    },
    async runs(project, query = {}) {
      if (!query.filters && !query.order) {
        const known = (await api.projects()).map((p) => p.name);
        if (!known.includes(project))
          throw new NotFoundError('RUN_NOT_FOUND', `project ${JSON.stringify(project)} not found in ${api.dir}`);
        return runCache.list(storePaths.runs(api.dir, project), async (id) => record(await view(project, id)));
      }
      const list = api.runs(project, {
        filters: query.filters as never,
        order: query.order as never,
        perPage: LIST_CONCURRENCY,
      });
      return (await list.toArray()).map(record);
    },
    async run(project, id) {
      return detail(await view(project, id));
    },
    async *scanHistory(project, id, stream) {
      const run = await view(project, id);
      const scan =
        stream === 'system'
          ? new HistoryScan(
              { path: join(run.dir, RUN_FILES.system), stepped: false, knownKey: () => false, availableKeys: () => [] },
              { pageSize: PAGE_SIZE },
            )
          : run.scanHistory({ pageSize: PAGE_SIZE });
      yield* scan.pages();
    },
    async historyOutline(project, id) {
      return (await view(project, id)).historyIndex();
    },
    historyFile: (project, id, stream) => join(runDir(project, id), streamFile(stream)),
    runDir,
    async files(project, id) {
      return (await (await view(project, id)).files()).map((f) => ({ name: f.name, size: f.size }));
    },
    async alerts(project, id) {
      const run = await view(project, id);
      const alerts: AlertRecord[] = [];
      for await (const alert of readJsonLines<AlertRecord>(join(run.dir, RUN_FILES.alerts))) alerts.push(alert);
      return alerts;
    },
    async runArtifacts(project, id) {
      const run = await view(project, id);
      // The records, not the versions: nothing needs opening to list them.
      const [logged, used] = await Promise.all([run.artifactRecords('logged'), run.artifactRecords('used')]);
      const link = (u: { artifact: string; type: string }) => ({ artifact: u.artifact, type: u.type ?? null });
      return { logged: logged.map(link), used: used.map(link) };
    },
    async artifactCollections(project) {
      return (await listCollections(api.dir, project)).map((c) => ({
        name: c.name,
        type: c.type ?? null,
        description: c.description ?? null,
        createdAt: c.createdAt ?? null,
        versionCount: c.versionCount,
        aliases: c.aliases,
      }));
    },
    async artifactVersions(project, name) {
      return (await listVersions(api.dir, project, name)).map(versionInfo);
    },
    async artifactVersion(project, name, version) {
      const found = (await listVersions(api.dir, project, name)).find((v) => v.version === version);
      if (!found) throw new NotFoundError('ARTIFACT_NOT_FOUND', `no version v${version} of ${project}/${name}`);
      const artifact = await resolveArtifact(api.dir, `${project}/${name}:v${version}`);
      return {
        ...versionInfo(found),
        files: artifact.files().map((f) => ({ path: f.path, size: f.size ?? 0, digest: f.digest ?? '' })),
      };
    },
    async update(project, id, patch) {
      const run = await view(project, id);
      if (patch.name !== undefined) run.name = patch.name;
      if (patch.tags !== undefined) run.tags = patch.tags;
      if (patch.notes !== undefined) run.notes = patch.notes;
      await run.update();
      return detail(await run.reload());
    },
    async delete(project, id) {
      // A live run is refused by the read API (STATE_TRANSITION, answered 409): stop it first.
      await (await view(project, id)).delete();
    },
  };
}

function record(run: RunView): RunRecord {
  return {
    project: run.project,
    id: run.id,
    name: run.name,
    state: run.state,
    tags: run.tags,
    notes: run.notes,
    group: run.group,
    jobType: run.jobType,
    createdAt: run.createdAt ?? null,
    runtime: run.runtime ?? null,
    config: run.config,
    summary: run.summary,
  };
}

function versionInfo(v: {
  version: number;
  digest: string;
  type: string;
  description: string;
  metadata: object;
  createdAt: string;
  size: number;
  fileCount: number;
  aliases: string[];
  producer: { project: string; runId: string } | null;
}): ArtifactVersionInfo {
  return {
    version: v.version,
    digest: v.digest ?? null,
    type: v.type ?? null,
    description: v.description ?? null,
    metadata: (v.metadata ?? {}) as Record<string, unknown>,
    createdAt: v.createdAt ?? null,
    size: v.size ?? null,
    fileCount: v.fileCount ?? null,
    aliases: v.aliases ?? [],
    producer: v.producer ?? null,
  };
}
