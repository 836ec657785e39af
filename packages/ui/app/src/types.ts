// The server's JSON shapes (type-only imports: nothing from the server is bundled).
export type {
  AlertRecord,
  ArtifactCollectionInfo,
  ArtifactLink,
  ArtifactVersionInfo,
  LineageGraph,
  MetricDefinition,
  RunDetail,
  RunFile,
  RunRecord,
} from '../../src/dashboardTypes.js';
export type { HistogramsOverTime } from '../../src/histogramsOverTime.js';
export type { Series } from '../../src/seriesQuery.js';

export interface KeyInfo {
  key: string;
  kind: string;
  /** The runs (project/id) that logged the key. */
  runs: string[];
}

export interface SeriesResponse {
  key: string;
  x: string;
  buckets: number;
  series: Array<import('../../src/seriesQuery.js').Series & { run: string }>;
}

export interface MediaResponse {
  key: string;
  steps: number[];
  values: unknown[];
  total: number;
}

/** A media reference as history holds it. */
export interface MediaRef {
  _type: string;
  path?: string;
  [field: string]: unknown;
}
