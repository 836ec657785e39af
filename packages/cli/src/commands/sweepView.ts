import type { SweepReport } from '@runlog/sweeps';
import type { CliIo } from '../cliIo.js';
import { formatTime, formatValue } from '../output/formatValue.js';
import { renderTable, type TableColumn } from '../output/table.js';

const STATE_COLORS: Record<string, keyof CliIo['colors']> = {
  running: 'blue',
  finished: 'green',
  stopped: 'yellow',
  failed: 'red',
  crashed: 'red',
  killed: 'magenta',
};

/** `runlog sweep show`: the sweep, its trials (the best one marked) and each parameter's relation to the metric. */
export function renderSweep(report: SweepReport, io: CliIo): string {
  const c = io.colors;
  const { sweep, config } = report;
  const metric = config.metric ? `${config.metric.name} (${config.metric.goal})` : '-';
  const counts = Object.entries(report.counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const lines = [
    `${c.bold('sweep')} ${sweep.project}/${sweep.id}${config.name ? `  ${config.name}` : ''}`,
    `state   ${report.state}${report.doneReason && report.state !== 'running' ? ` (${report.doneReason})` : ''}`,
    `method  ${config.method}   metric ${metric}${config.runCap ? `   run_cap ${config.runCap}` : ''}${config.earlyTerminate ? `   early_terminate hyperband (eta ${config.earlyTerminate.eta})` : ''}`,
    `created ${formatTime(sweep.createdAt)}   trials ${report.trials.length}${counts ? ` (${counts})` : ''}`,
  ];
  if (report.best)
    lines.push(
      `best    trial ${report.best.number}, run ${report.best.id}: ${metric.split(' ')[0]} ${formatValue(report.best.value, 16)}`,
    );
  if (report.trials.length === 0)
    return `${lines.join('\n')}\n\nno trials yet: start one with runlog agent ${sweep.project}/${sweep.id}`;
  const keys = report.parameterKeys;
  const columns: TableColumn[] = [
    { header: '#', align: 'right' },
    { header: 'RUN' },
    { header: 'STATE' },
    { header: config.metric?.name ?? 'VALUE', align: 'right', maxWidth: 16 },
    ...keys.map((key) => ({ header: key, align: 'right' as const, maxWidth: 16 })),
    { header: 'WHY', maxWidth: 60 },
  ];
  const rows = report.trials.map((trial) => {
    const isBest = trial === report.best;
    const mark = (text: string) => (isBest ? c.bold(text) : text);
    const color = c[STATE_COLORS[trial.state] ?? 'dim'] as (text: string) => string;
    return [
      mark(`${isBest ? '*' : ''}${trial.number}`),
      mark(trial.id),
      color(trial.state),
      mark(trial.value === undefined ? '-' : formatValue(trial.value, 16)),
      ...keys.map((key) => formatValue(trial.params[key], 16)),
      trial.stopReason ?? '',
    ];
  });
  lines.push('', renderTable(columns, rows, c.bold));
  const stats = report.parameters.filter((p) => p.importance !== null || p.correlation !== null);
  if (stats.length > 0) {
    const bar = (value: number | null) => (value === null ? '' : '█'.repeat(Math.round(Math.abs(value) * 20)));
    lines.push(
      '',
      renderTable(
        [
          { header: 'PARAMETER' },
          { header: 'IMPORTANCE', align: 'right' },
          { header: '' },
          { header: 'CORRELATION', align: 'right' },
        ],
        [...stats]
          .sort((a, b) => (b.importance ?? 0) - (a.importance ?? 0))
          .map((p) => [
            p.key,
            p.importance === null ? '-' : p.importance.toFixed(3),
            bar(p.importance),
            p.correlation === null ? '-' : p.correlation.toFixed(3),
          ]),
        c.bold,
      ),
    );
  }
  return lines.join('\n');
}
