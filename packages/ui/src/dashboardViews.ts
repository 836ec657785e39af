import type { RunData, RunRef, StoreAccess } from '@runlog/core';
import type { ArtifactVersionInfo, RunDetail, RunRecord } from './dashboardTypes.js';

/** A run as the runs table shows it. */
export function runRecord(data: RunData): RunRecord {
  const { record } = data;
  return {
    project: record.project,
    id: record.id,
    name: record.name,
    state: data.state,
    tags: record.tags,
    notes: record.notes,
    group: record.group,
    jobType: record.jobType,
    createdAt: record.createdAt ?? null,
    runtime: data.runtime ?? null,
    config: record.config,
    summary: data.summary,
  };
}

/** A run as its page shows it: the table's fields plus metadata, times and its defineMetric definitions. */
export async function runDetail(access: StoreAccess, run: RunRef, data?: RunData): Promise<RunDetail> {
  const [loaded, metrics] = await Promise.all([
    data ?? access.readRun(run),
    access.metricDefinitions(run).catch(() => []),
  ]);
  return {
    ...runRecord(loaded),
    metadata: loaded.record.metadata,
    exitCode: loaded.record.exitCode,
    startedAt: loaded.record.startedAt,
    finishedAt: loaded.record.finishedAt,
    lastHistoryStep: loaded.lastHistoryStep >= 0 ? loaded.lastHistoryStep : null,
    metrics,
  };
}

/** An artifact version as the artifacts page shows it. */
export function versionInfo(v: {
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
