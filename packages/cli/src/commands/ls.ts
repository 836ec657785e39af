import { Api, type RunFilter, type RunView, resolveKeyPath } from '@runlog/core';
import { type CliIo, print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { formatDuration, formatTime, formatValue } from '../output/formatValue.js';
import { colorState } from '../output/stateColor.js';
import { renderTable, type TableColumn } from '../output/table.js';
import { integerOption, JSON_OPTION, parseCommandArgs } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog ls [options]

List runs: state, runtime and summary values, newest first.

Options:
  -p, --project <name>    only this project (default: every project)
  -f, --filter <json>     a filter, e.g. '{"state":"finished","summary.acc":{"$gte":0.9}}'
                          fields: state tags group jobType name id createdAt runtime config.<k> summary.<k>
                          operators: $eq $ne $gt $gte $lt $lte $in $nin $exists $regex $and $or $not
                          ($regex: RE2 syntax, linear time, at most 1,000 characters)
  -s, --sort <fields>     order, e.g. '-summary.val/acc' or 'createdAt' (default -createdAt)
  -c, --columns <keys>    summary keys to show, comma-separated (default: up to 4 common numeric ones)
  -n, --limit <n>         show at most n runs
      --json              print the runs as JSON
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

export const lsCommand: Command = {
  name: 'ls',
  summary: 'list runs with state, runtime and summary columns',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('ls', args, {
      project: { type: 'string', short: 'p' },
      filter: { type: 'string', short: 'f' },
      sort: { type: 'string', short: 's' },
      columns: { type: 'string', short: 'c' },
      limit: { type: 'string', short: 'n' },
      ...JSON_OPTION,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, 'ls');
    const limit = integerOption('ls', 'limit', values.limit, Number.POSITIVE_INFINITY);
    const filters = parseFilter(values.filter);
    const api = new Api({ dir: values.dir });
    const list = api.runs(values.project, { filters, order: values.sort, perPage: 100 });
    const runs = (await list.toArray()).slice(0, limit);
    for (const skipped of list.skipped) {
      io.stderr.write(`${io.errorColors.yellow('warning:')} skipped ${skipped.path}: ${skipped.reason}\n`);
    }
    if (values.json) {
      printJson(
        io,
        runs.map((r) => {
          const { metadata: _metadata, ...rest } = r.toJSON();
          return rest;
        }),
      );
      return 0;
    }
    if (runs.length === 0) {
      io.stderr.write(`no runs${values.filter ? ' match the filter' : ''} in ${api.dir}\n`);
      return 0;
    }
    const keys = values.columns
      ? values.columns
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean)
      : commonKeys(runs);
    print(io, runTable(runs, keys, io));
    return 0;
  },
};

function parseFilter(text: string | undefined): RunFilter | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as RunFilter;
  } catch (error) {
    throw new UsageError(`--filter is not JSON (${(error as Error).message}); e.g. '{"state":"finished"}'`, 'ls');
  }
}

/** The numeric summary keys most runs have (at most four), as a default set of columns. */
function commonKeys(runs: RunView[]): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.summary)) {
      if (key.startsWith('_') || key.startsWith('system/') || typeof value !== 'number') continue;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 4)
    .map(([key]) => key);
}

function runTable(runs: RunView[], keys: string[], io: CliIo): string {
  const projects = new Set(runs.map((r) => r.project));
  const columns: TableColumn[] = [
    { header: projects.size > 1 ? 'RUN' : 'ID' },
    { header: 'NAME', maxWidth: 28 },
    { header: 'STATE' },
    { header: 'RUNTIME', align: 'right' },
    { header: 'CREATED' },
    ...keys.map((k) => ({ header: k, align: 'right' as const, maxWidth: 16 })),
  ];
  const rows = runs.map((run) => [
    projects.size > 1 ? run.path : run.id,
    run.name,
    colorState(io.colors, run.state),
    formatDuration(run.runtime),
    formatTime(run.createdAt),
    ...keys.map((k) => formatValue(resolveKeyPath(run.summary, k), 16)),
  ]);
  return renderTable(columns, rows, io.colors.bold);
}
