import { extname } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '@runlog/core';
import { print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { openApi, REMOTE_HELP, REMOTE_OPTIONS } from '../openApi.js';
import { ProgressBar } from '../output/progressBar.js';
import { JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { resolveRunRef } from '../resolveRunRef.js';
import { UsageError } from '../usageError.js';
import { exportTensorboardCommand } from './exportTensorboard.js';

const help = `Usage: runlog export <run> [options]

Write a run's history to a file (written atomically). An existing file is kept unless --force is given.

Options:
  -f, --format <format>   csv, jsonl or parquet (default: from --out's extension, else csv)
  -o, --out <path>        the file to write (default <run id>.<format>)
  -k, --keys <keys>       only these metrics, comma-separated (rows that have all of them)
      --min-step <n>      first step (inclusive)
      --max-step <n>      last step (exclusive)
      --force             replace --out if it exists
      --keep-formulas     CSV: write cells starting with = + - @ as they are (by default they get a leading '
                          so a spreadsheet shows them instead of running them as formulas)
  -p, --project <name>    look for <run> in this project
      --json              print what was written as JSON
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
${REMOTE_HELP}
  -h, --help              show this help

${exportTensorboardCommand.help}`;

export const exportCommand: Command = {
  name: 'export',
  summary: "write a run's history as CSV, JSON lines or Parquet",
  help,
  subcommands: [exportTensorboardCommand],
  async run(args, io) {
    if (args[0] === 'tensorboard') return exportTensorboardCommand.run(args.slice(1), io);
    const { values, positionals: rest } = parseCommandArgs('export', args, {
      ...REMOTE_OPTIONS,
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      keys: { type: 'string', short: 'k' },
      'min-step': { type: 'string' },
      'max-step': { type: 'string' },
      force: { type: 'boolean' },
      'keep-formulas': { type: 'boolean' },
      project: { type: 'string', short: 'p' },
      ...JSON_OPTION,
    });
    const [ref] = positionals('export', rest, ['run']);
    const fromExtension = values.out ? extname(values.out).slice(1).toLowerCase() : '';
    const format = (values.format ?? (isFormat(fromExtension) ? fromExtension : 'csv')) as string;
    if (!isFormat(format))
      throw new UsageError(
        `--format must be one of ${EXPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
        'export',
      );
    const step = (name: string, value: string | undefined) => {
      if (value === undefined) return undefined;
      const number = Number(value);
      if (!Number.isFinite(number))
        throw new UsageError(`--${name} must be a number, got ${JSON.stringify(value)}`, 'export');
      return number;
    };
    const minStep = step('min-step', values['min-step']);
    const maxStep = step('max-step', values['max-step']);
    const keys = values.keys
      ?.split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    const run = await resolveRunRef(openApi('export', values), ref, values.project);
    const bar = new ProgressBar(io.stderr, `exporting ${run.path}`);
    const result = await run
      .exportHistory({
        format,
        path: values.out ?? `${run.id}.${format}`,
        keys,
        minStep,
        maxStep,
        overwrite: values.force === true,
        keepFormulas: values['keep-formulas'] === true,
        onProgress: (fraction) => bar.update(fraction),
      })
      .finally(() => bar.done());
    if (values.json) printJson(io, result);
    else print(io, `wrote ${result.rows} rows × ${result.columns.length} columns to ${result.path}`);
    return 0;
  },
};

function isFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}
