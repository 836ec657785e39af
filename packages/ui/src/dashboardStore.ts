/**
 * What the dashboard server reads and changes in a store. The server depends on this interface only; the
 * implementation over core's read API is `apiDashboardStore.ts`, so a change in that API touches one file.
 */
export type HistoryStream = 'default' | 'system';

/** What the dashboard uses of core's HistoryIndex. */
export interface HistoryOutline {
  readonly indexedRows: number;
  readonly gapRows: number;
  /** Top-level keys holding numbers (not `_` keys). */
  numericKeys(): Set<string>;
  /** Real rows outlining a key: each block's first, last, minimum and maximum, and every unindexed row. */
  envelope(key: string): { steps: number[]; values: number[] };
  /** Rows holding a number for `key`. */
  valueCount(key: string): number;
  /** How many index blocks hold rows with a step in `[minStep, maxStep]`. */
  blocksInRange(minStep: number, maxStep: number): number;
  /** Every row with a step in `[minStep, maxStep]`, reading only the blocks that hold them. */
  readStepRange(minStep: number, maxStep: number): Promise<Record<string, unknown>[]>;
}

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

/** A defineMetric definition as metrics.json holds it. */
export interface MetricDefinition {
  name: string;
  stepMetric?: string | null;
  hidden?: boolean;
  summary?: string | null;
  goal?: string | null;
}

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

export interface DashboardStore {
  /** Absolute store root. */
  readonly dir: string;
  projects(): Promise<string[]>;
  runs(project: string, query?: { filters?: Record<string, unknown>; order?: string }): Promise<RunRecord[]>;
  run(project: string, id: string): Promise<RunDetail>;
  /** Every row of a history stream, in order, a page (array of rows) at a time. */
  scanHistory(project: string, id: string, stream: HistoryStream): AsyncIterable<Record<string, unknown>[]>;
  /**
   * The outline of a run's history from its index (core's HistoryIndex): each key's series at block resolution,
   * without reading every row. Undefined when the run has no index that can be trusted.
   */
  historyOutline(project: string, id: string): Promise<HistoryOutline | undefined>;
  /** Absolute path of the append-only file behind a history stream (read from a byte offset for live rows). */
  historyFile(project: string, id: string, stream: HistoryStream): string;
  /** Absolute path of the run folder. */
  runDir(project: string, id: string): string;
  files(project: string, id: string): Promise<RunFile[]>;
  alerts(project: string, id: string): Promise<AlertRecord[]>;
  runArtifacts(project: string, id: string): Promise<{ logged: ArtifactLink[]; used: ArtifactLink[] }>;
  artifactCollections(project: string): Promise<ArtifactCollectionInfo[]>;
  artifactVersions(project: string, name: string): Promise<ArtifactVersionInfo[]>;
  /** One version with its file list. */
  artifactVersion(project: string, name: string, version: number): Promise<ArtifactVersionInfo>;
  update(project: string, id: string, patch: RunPatch): Promise<RunDetail>;
  delete(project: string, id: string): Promise<void>;
}
