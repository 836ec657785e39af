// @runlog/ui: the local dashboard (an HTTP server over the store plus the browser app it serves).

export type { DashboardHandler, DashboardHandlerOptions } from './dashboardHandler.js';
export { createDashboardHandler } from './dashboardHandler.js';
export type {
  AlertRecord,
  ArtifactCollectionInfo,
  ArtifactLink,
  ArtifactVersionInfo,
  HistoryStream,
  LineageGraph,
  MetricDefinition,
  RunDetail,
  RunFile,
  RunPatch,
  RunRecord,
} from './dashboardTypes.js';
export { downsampleM4 } from './downsampleM4.js';
export type { Dashboard, DashboardOptions } from './startDashboard.js';
export { ACTION_HEADER, startDashboard } from './startDashboard.js';
