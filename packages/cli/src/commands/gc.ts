import { Api, RUN_STATES, type RunFilter, type RunState } from '@runlog/core';
import { print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { formatBytes, formatTime } from '../output/formatValue.js';
import { ProgressBar } from '../output/progressBar.js';
import { colorState } from '../output/stateColor.js';
import { renderTable } from '../output/table.js';
import { JSON_OPTION, parseCommandArgs } from '../parseCommandArgs.js';
import { parseDuration } from '../parseDuration.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog gc [options]

Delete crashed or old runs. Without --yes it only lists what it would delete (a dry run). A run that a live
process may still write (its pid is alive on this host, or a process holds the run's lock) is never deleted:
it is skipped, with the reason.

Options:
  -p, --project <name>     only this project
      --state <states>     runs in these states, comma-separated (default: crashed)
      --older-than <age>   runs created longer ago than this (30d, 12h, 15m); with no --state, any
                           state but running/preempting
      --delete-artifacts   also delete the artifact versions those runs logged
  -y, --yes                delete for real
      --json               print the runs (and what was deleted) as JSON
  -d, --dir <path>         the store (default $RUNLOG_DIR or ./runlog)
  -h, --help               show this help`;

const DELETABLE: RunState[] = ['pending', 'finished', 'failed', 'crashed', 'killed'];

export const gcCommand: Command = {
  name: 'gc',
  summary: 'delete crashed or old runs (a dry run unless --yes)',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('gc', args, {
      project: { type: 'string', short: 'p' },
      state: { type: 'string' },
      'older-than': { type: 'string' },
      'delete-artifacts': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      ...JSON_OPTION,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, 'gc');
    const olderThan = values['older-than'];
    const states = values.state
      ? values.state.split(',').map((s) => s.trim())
      : olderThan !== undefined
        ? DELETABLE
        : ['crashed'];
    for (const state of states) {
      if (!(RUN_STATES as readonly string[]).includes(state)) {
        throw new UsageError(`--state: ${JSON.stringify(state)} is not a run state (${RUN_STATES.join(', ')})`, 'gc');
      }
      if (!(DELETABLE as string[]).includes(state)) {
        throw new UsageError(`--state ${state}: a live run cannot be collected; stop it first`, 'gc');
      }
    }
    const filters: RunFilter = { state: { $in: states } };
    if (olderThan !== undefined) {
      filters.createdAt = { $lt: new Date(Date.now() - parseDuration('gc', 'older-than', olderThan)).toISOString() };
    }
    const api = new Api({ dir: values.dir });
    const runs = await api.runs(values.project, { filters, order: 'createdAt' }).toArray();
    // Bytes of each run's files, listed through the read API.
    const sizes = await Promise.all(
      runs.map(async (r) => (await r.files().catch(() => [])).reduce((sum, f) => sum + f.size, 0)),
    );
    const total = sizes.reduce((a, b) => a + b, 0);
    const listed = runs.map((r, i) => ({
      path: r.path,
      name: r.name,
      state: r.state,
      createdAt: r.createdAt,
      bytes: sizes[i],
    }));
    if (!values.yes) {
      if (values.json) printJson(io, { dryRun: true, runs: listed, bytes: total });
      else if (runs.length === 0) print(io, 'nothing to collect');
      else {
        const rows = listed.map((r) => [
          r.path,
          r.name,
          colorState(io.colors, r.state),
          formatTime(r.createdAt),
          formatBytes(r.bytes),
        ]);
        print(
          io,
          renderTable(
            [
              { header: 'RUN' },
              { header: 'NAME' },
              { header: 'STATE' },
              { header: 'CREATED' },
              { header: 'SIZE', align: 'right' },
            ],
            rows,
            io.colors.bold,
          ),
        );
        print(
          io,
          `\n${runs.length} run${runs.length === 1 ? '' : 's'}, ${formatBytes(total)} would be deleted. Run again with --yes to delete them.`,
        );
      }
      return 0;
    }
    const bar = new ProgressBar(io.stderr, 'deleting runs');
    const deleted: string[] = [];
    const failures: { path: string; error: string }[] = [];
    const skipped: { path: string; reason: string }[] = [];
    try {
      for (const [i, run] of runs.entries()) {
        bar.update(i / runs.length, run.path);
        try {
          await run.delete({ deleteArtifacts: values['delete-artifacts'] === true });
          deleted.push(run.path);
        } catch (error) {
          // A run a live process may still write (it owns the run's lock, or its pid is alive) is never deleted.
          const code = (error as { code?: string }).code;
          if (code === 'RUN_BUSY' || code === 'STATE_TRANSITION') {
            skipped.push({ path: run.path, reason: (error as Error).message });
          } else failures.push({ path: run.path, error: (error as Error).message });
        }
      }
    } finally {
      bar.done();
    }
    const deletedBytes = sizes.reduce((sum, size, i) => (deleted.includes(runs[i].path) ? sum + size : sum), 0);
    if (values.json) printJson(io, { dryRun: false, deleted, skipped, failures, bytes: deletedBytes });
    else {
      print(io, `deleted ${deleted.length} run${deleted.length === 1 ? '' : 's'} (${formatBytes(deletedBytes)})`);
      for (const s of skipped) print(io, `skipped ${s.path}: ${s.reason}`);
      for (const f of failures) io.stderr.write(`could not delete ${f.path}: ${f.error}\n`);
    }
    return failures.length > 0 ? 1 : 0;
  },
};
