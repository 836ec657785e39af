// @runlog/sweeps public surface: values first, then types.

export type { TrialFunction } from './agent/agent.js';
export { agent } from './agent/agent.js';
export type { AgentOptions, AgentResult, TrialContext, TrialRunner } from './agent/agentSession.js';
export { runAgent } from './agent/agentSession.js';
export type { CommandTrialOptions } from './agent/commandTrial.js';
export { runCommandTrial } from './agent/commandTrial.js';
export type { CommandInputs } from './config/commandLine.js';
export { buildCommand, DEFAULT_COMMAND, MACROS } from './config/commandLine.js';
export { loadSweepConfig, parseSweepConfig } from './config/loadSweepConfig.js';
export type { DistributionName, ParameterSpec } from './config/parameterSpec.js';
export { DISTRIBUTIONS } from './config/parameterSpec.js';
export type { Goal, HyperbandConfig, SearchMethod, SweepConfig, SweepMetric } from './config/sweepConfig.js';
export { SweepConfigError } from './config/sweepConfigError.js';
export { validateSweepConfig } from './config/validateSweepConfig.js';
export type { NextTrial } from './controller/nextTrial.js';
export { nextTrial } from './controller/nextTrial.js';
export { optimize } from './controller/optimize.js';
export type { SweepAction, SweepOptions } from './controller/sweepControl.js';
export { controlSweep, createSweep, sweep } from './controller/sweepControl.js';
export { hyperbandBands } from './hyperband/hyperbandBands.js';
export type { HyperbandStop, HyperbandTrial } from './hyperband/hyperbandRule.js';
export { hyperbandStops } from './hyperband/hyperbandRule.js';
export type { MetricCurve } from './hyperband/metricCurve.js';
export { curveOf, GrowingCurve } from './hyperband/metricCurve.js';
export type { ParameterStatistic } from './report/parameterStatistics.js';
export { parameterStatistics } from './report/parameterStatistics.js';
export type { SweepReport } from './report/sweepReport.js';
export { sweepReport } from './report/sweepReport.js';
export { continuousCdf, valueAt } from './search/distribution.js';
export { Grid } from './search/gridSearch.js';
export type { FlatParams } from './search/parameterValues.js';
export { flattenParams, nestParams } from './search/parameterValues.js';
export { randomParams } from './search/randomSearch.js';
export type { SearchTrial } from './search/searchTrial.js';
export { SeededRandom } from './search/seededRandom.js';
export type { TpeOptions } from './search/tpeSampler.js';
export { suggestTpe } from './search/tpeSampler.js';
export { AGENT_STALE_MS } from './state/agentLiveness.js';
export { FileSweepState } from './state/fileSweepState.js';
export type { SweepBackendOptions } from './state/openSweepState.js';
export { openSweepState } from './state/openSweepState.js';
export type { ServerSweepStateOptions } from './state/serverSweepState.js';
export { ServerSweepState } from './state/serverSweepState.js';
export { sweepLayout } from './state/sweepLayout.js';
export type {
  AgentRecord,
  SweepRecord,
  SweepSnapshot,
  SweepStatus,
  TrialRecord,
  TrialState,
} from './state/sweepRecords.js';
export type { Claim, SweepRef, SweepState } from './state/sweepState.js';
export { applyStatus, claimNext, markCrashed, newSweepRecord } from './state/sweepTransitions.js';
