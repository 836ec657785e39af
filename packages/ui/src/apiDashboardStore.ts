import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  atomicWriteJson,
  effectiveState,
  listCollections,
  listVersions,
  NotFoundError,
  RUN_FILES,
  type RunDocument,
  readJson,
  readJsonLines,
  readRunArtifacts,
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
import { HttpError } from './httpError.js';

// INTERIM: built on core's exported readers (readJson, readJsonLines, effectiveState, the artifact queries)
// until core's read API (Api) lands; then this file becomes a thin adapter over Api and nothing else changes.

const streamFile = (stream: HistoryStream) => (stream === 'system' ? RUN_FILES.system : RUN_FILES.history);

export function apiDashboardStore(dir: string): DashboardStore {
  const runDir = (project: string, id: string) => storePaths.run(dir, project, id);

  async function document(project: string, id: string): Promise<RunDocument> {
    const doc = await readJson<RunDocument>(join(runDir(project, id), RUN_FILES.run));
    if (!doc) throw new NotFoundError('RUN_NOT_FOUND', `no run ${project}/${id} in ${dir}`);
    return doc;
  }

  async function record(project: string, id: string, doc?: RunDocument): Promise<RunRecord & { doc: RunDocument }> {
    const run = doc ?? (await document(project, id));
    const summary = (await readJson<Record<string, unknown>>(join(runDir(project, id), RUN_FILES.summary))) ?? {};
    return {
      project,
      id,
      name: run.name,
      state: effectiveState(runDir(project, id), run),
      tags: run.tags ?? [],
      notes: run.notes ?? '',
      group: run.group ?? null,
      jobType: run.jobType ?? null,
      createdAt: run.createdAt ?? null,
      runtime: typeof run.runtimeSeconds === 'number' ? run.runtimeSeconds : null,
      config: run.config ?? {},
      summary,
      doc: run,
    };
  }

  async function detail(project: string, id: string): Promise<RunDetail> {
    const { doc, ...base } = await record(project, id);
    const metrics = await readJson<{ definitions?: MetricDefinition[] }>(join(runDir(project, id), RUN_FILES.metrics));
    const step = base.summary._step;
    return {
      ...base,
      metadata: (doc.metadata ?? {}) as Record<string, unknown>,
      exitCode: doc.exitCode ?? null,
      startedAt: doc.startedAt ?? null,
      finishedAt: doc.finishedAt ?? null,
      lastHistoryStep: typeof step === 'number' ? step : null,
      metrics: metrics?.definitions ?? [],
    };
  }

  return {
    dir,
    async projects() {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      const projects: string[] = [];
      for (const entry of entries) {
        if (!entry.isDirectory() || entry.name === 'objects') continue;
        const runs = await stat(storePaths.runs(dir, entry.name)).catch(() => undefined);
        const artifacts = await stat(storePaths.artifacts(dir, entry.name)).catch(() => undefined);
        if (runs || artifacts) projects.push(entry.name);
      }
      return projects.sort();
    },
    async runs(project, query) {
      if (query?.filters || query?.order) throw new HttpError(400, 'filters and order need core read API');
      const ids = await readdir(storePaths.runs(dir, project)).catch(() => [] as string[]);
      const records = await Promise.all(
        ids.map((id) =>
          record(project, id).then(
            ({ doc: _doc, ...run }) => run,
            () => undefined,
          ),
        ),
      );
      return records.filter((r): r is RunRecord => r !== undefined);
    },
    run: detail,
    async *scanHistory(project, id, stream) {
      await document(project, id);
      let page: Record<string, unknown>[] = [];
      for await (const row of readJsonLines<Record<string, unknown>>(join(runDir(project, id), streamFile(stream)))) {
        page.push(row);
        if (page.length === 4096) {
          yield page;
          page = [];
        }
      }
      if (page.length) yield page;
    },
    historyFile: (project, id, stream) => join(runDir(project, id), streamFile(stream)),
    runDir,
    async files(project, id) {
      const root = runDir(project, id);
      const out: Array<{ name: string; size: number }> = [];
      const walk = async (relative: string): Promise<void> => {
        for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
          const name = relative ? `${relative}/${entry.name}` : entry.name;
          if (entry.isDirectory()) await walk(name);
          else if (entry.isFile()) out.push({ name, size: (await stat(join(root, name))).size });
        }
      };
      await document(project, id);
      await walk('');
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
    async alerts(project, id) {
      const alerts: AlertRecord[] = [];
      for await (const alert of readJsonLines<AlertRecord>(join(runDir(project, id), RUN_FILES.alerts)))
        alerts.push(alert);
      return alerts;
    },
    async runArtifacts(project, id) {
      const records = await readRunArtifacts(runDir(project, id));
      const pick = (direction: 'used' | 'logged') =>
        records.filter((r) => r.direction === direction).map((r) => ({ artifact: r.artifact, type: r.type ?? null }));
      return { logged: pick('logged'), used: pick('used') };
    },
    async artifactCollections(project) {
      return (await listCollections(dir, project)).map((c) => ({
        name: c.name,
        type: c.type ?? null,
        description: c.description ?? null,
        createdAt: c.createdAt ?? null,
        versionCount: c.versionCount,
        aliases: c.aliases,
      }));
    },
    async artifactVersions(project, name) {
      return (await listVersions(dir, project, name)).map(versionInfo);
    },
    async artifactVersion(project, name, version) {
      const versions = await listVersions(dir, project, name);
      const found = versions.find((v) => v.version === version);
      if (!found) throw new NotFoundError('ARTIFACT_NOT_FOUND', `no version v${version} of ${project}/${name}`);
      const artifact = await resolveArtifact(dir, `${project}/${name}:v${version}`);
      return {
        ...versionInfo(found),
        files: artifact.files().map((f) => ({ path: f.path, size: f.size ?? 0, digest: f.digest ?? '' })),
      };
    },
    async update(project, id, patch) {
      const file = join(runDir(project, id), RUN_FILES.run);
      const doc = await document(project, id);
      await atomicWriteJson(file, { ...doc, ...patch, updatedAt: new Date().toISOString() });
      return detail(project, id);
    },
    async delete(project, id) {
      await document(project, id);
      await rm(runDir(project, id), { recursive: true, force: true });
    },
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
