import type { RunView } from '@runlog/core';
import { type CliIo, print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { mainMetrics, metricSeries } from '../metricSeries.js';
import { openApi, REMOTE_HELP, REMOTE_OPTIONS } from '../openApi.js';
import { formatDuration, formatTime, formatValue } from '../output/formatValue.js';
import { sparkline } from '../output/sparkline.js';
import { colorState } from '../output/stateColor.js';
import { integerOption, JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { resolveRunRef } from '../resolveRunRef.js';

const help = `Usage: runlog show <run> [options]

Show a run: identity and state, config, summary, metadata, and sparklines of its main metrics.
<run> is project/id, or an id or name that is unique in the store.

Options:
  -p, --project <name>    look for <run> in this project
  -w, --width <n>         sparkline width (default 40)
      --json              print the run (and the sparkline series) as JSON
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
${REMOTE_HELP}
  -h, --help              show this help`;

export const showCommand: Command = {
  name: 'show',
  summary: 'config, summary, metadata and metric sparklines of a run',
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('show', args, {
      ...REMOTE_OPTIONS,
      project: { type: 'string', short: 'p' },
      width: { type: 'string', short: 'w' },
      ...JSON_OPTION,
    });
    const [ref] = positionals('show', rest, ['run']);
    const width = Math.max(8, integerOption('show', 'width', values.width, 40));
    const run = await resolveRunRef(openApi('show', values), ref, values.project);
    const keys = mainMetrics(run);
    const series = await metricSeries(run, keys, width);
    if (values.json) {
      printJson(io, { ...run.toJSON(), series: Object.fromEntries(series) });
      return 0;
    }
    printRun(io, run, series);
    return 0;
  },
};

function printRun(io: CliIo, run: RunView, series: Map<string, (number | undefined)[]>): void {
  const c = io.colors;
  const heading = (text: string) => print(io, `\n${c.bold(text)}`);
  print(io, `${c.bold(run.name)} ${c.dim(run.path)}  ${colorState(c, run.state)}`);
  const facts: [string, string][] = [
    ['created', formatTime(run.createdAt)],
    ['runtime', formatDuration(run.runtime)],
    ['last step', run.lastHistoryStep >= 0 ? String(run.lastHistoryStep) : ''],
    ['exit code', run.exitCode === null ? '' : String(run.exitCode)],
    ['tags', run.tags.join(', ')],
    ['group', run.group ?? ''],
    ['job type', run.jobType ?? ''],
    ['notes', run.notes],
  ];
  for (const [label, value] of facts) if (value) print(io, `  ${c.dim(label.padEnd(10))} ${value}`);
  section(io, 'Config', flatten(run.config), heading);
  section(
    io,
    'Summary',
    flatten(run.summary).filter(([k]) => !k.startsWith('_')),
    heading,
  );
  if (series.size > 0) {
    heading('Metrics');
    const pad = Math.max(...[...series.keys()].map((k) => k.length));
    for (const [key, points] of series) {
      const finite = points.filter((p): p is number => p !== undefined);
      const range = finite.length ? `${formatValue(Math.min(...finite))} … ${formatValue(Math.max(...finite))}` : '';
      print(io, `  ${key.padEnd(pad)}  ${c.cyan(sparkline(points))}  ${c.dim(range)}`);
    }
  }
  const m = run.metadata as Record<string, unknown>;
  const git = (m.git ?? {}) as Record<string, unknown>;
  const metadata: [string, string][] = [
    ['host', String(m.host ?? '')],
    ['os', String(m.os ?? '')],
    ['node', String(m.node ?? '')],
    ['command', String(m.command ?? '')],
    ['cwd', String(m.cwd ?? '')],
    ['git', git.commit ? `${String(git.commit).slice(0, 10)} ${git.branch ?? ''}${git.dirty ? ' (dirty)' : ''}` : ''],
  ];
  section(
    io,
    'Metadata',
    metadata.filter(([, v]) => v !== ''),
    heading,
  );
}

function section(io: CliIo, title: string, entries: [string, string][], heading: (t: string) => void): void {
  if (entries.length === 0) return;
  heading(title);
  const pad = Math.min(32, Math.max(...entries.map(([k]) => k.length)));
  for (const [key, value] of entries) print(io, `  ${key.padEnd(pad)}  ${value}`);
}

/** Nested objects as dotted keys; media and histograms by their kind. */
function flatten(object: Record<string, unknown>, prefix = ''): [string, string][] {
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const isPlainObject =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      !(value instanceof Date) &&
      !('_type' in value);
    if (isPlainObject && Object.keys(value).length > 0) out.push(...flatten(value as Record<string, unknown>, path));
    else out.push([path, formatValue(value, 60)]);
  }
  return out;
}
