/** The JSON shapes the dashboard server answers (the browser app imports these types). */
import type { MetricDefinition } from '@runlog/core/browser';

/** The two history streams a chart reads: logged metrics, or system metrics. */
export type HistoryStream = 'default' | 'system';

/** One row of the runs table. `runtime` is in seconds. */
export interface RunRecord {
  project: string;
  id: string;
  name: string;
  state: string;
  tags: string[];
  notes: string;
  group: string | null;
  jobType: string | null;
  createdAt: string | null;
  runtime: number | null;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** A defineMetric definition as the run stores it (core's type: the app resolves keys with core's matcher). */
export type { MetricDefinition };

export interface RunDetail extends RunRecord {
  metadata: Record<string, unknown>;
  exitCode: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastHistoryStep: number | null;
  metrics: MetricDefinition[];
}

export interface RunFile {
  name: string;
  size: number;
}

export interface AlertRecord {
  title: string;
  text: string;
  level: string;
  _timestamp?: number;
  _step?: number;
}

/** An artifact version a run used or logged: 'project/name:vN'. */
export interface ArtifactLink {
  artifact: string;
  type: string | null;
}

export interface ArtifactCollectionInfo {
  name: string;
  type: string | null;
  description: string | null;
  createdAt: string | null;
  versionCount: number;
  aliases: Record<string, number>;
}

export interface ArtifactVersionInfo {
  version: number;
  digest: string | null;
  type: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  createdAt: string | null;
  size: number | null;
  fileCount: number | null;
  aliases: string[];
  producer: { project: string; runId: string } | null;
  files?: Array<{ path: string; size: number; digest: string }>;
}

/** Runs and artifact versions joined by what each run used and logged. */
export interface LineageGraph {
  nodes: Array<{ id: string; kind: 'run' | 'version'; label: string; state?: string }>;
  edges: Array<{ from: string; to: string; kind: 'used' | 'logged' }>;
}

export interface RunPatch {
  name?: string;
  tags?: string[];
  notes?: string;
}
