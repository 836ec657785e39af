/** The sweep JSON the dashboard server sends (see src/sweepRoutes.ts and @runlog/sweeps' SweepReport). */

export interface SweepMetric {
  name: string;
  goal: 'minimize' | 'maximize';
}

export interface SweepTrial {
  id: string;
  number: number;
  params: Record<string, unknown>;
  state: string;
  stopReason?: string;
  value?: number;
  steps?: number;
}

export interface SweepParameterSpec {
  key: string;
  distribution: string;
  values?: unknown[];
}

export interface SweepParameterStatistic {
  key: string;
  correlation: number | null;
  importance: number | null;
}

export interface SweepReportBody {
  sweep: { id: string; project: string; createdAt: string };
  config: { method: string; name?: string; metric?: SweepMetric; runCap?: number; parameters: SweepParameterSpec[] };
  state: string;
  doneReason?: string;
  trials: SweepTrial[];
  counts: Record<string, number>;
  best?: SweepTrial;
  parameterKeys: string[];
  parameters: SweepParameterStatistic[];
  runs: Record<string, { name: string; state: string } | null>;
}

export interface SweepListEntry {
  id: string;
  name: string | null;
  method: string;
  metric: SweepMetric | null;
  state: string;
  createdAt: string;
  trials: number;
  best: { id: string; number: number; value?: number } | null;
}
