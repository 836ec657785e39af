import { RunlogError } from '@runlog/core';
import { type RunSyncReport, type SyncStoreReport, syncStore } from '@runlog/core/internal';
import { type CliIo, print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { formatBytes } from '../output/formatValue.js';
import { ProgressBar } from '../output/progressBar.js';
import { JSON_OPTION, parseCommandArgs } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog sync [<run>...] [--all] --host <url> --api-key <token> [options]

Copy local runs (finished, crashed or still running) and their artifacts to a runlog server. Each run is sent
from where the server's copy ends, so an interrupted sync resumes, and running it again sends nothing new.
Artifact objects the server already has (from any machine) are not sent again. A run is named by project/id,
by its id, or by its folder's path.

Options:
      --all                every run of the store, and every artifact version of its projects
      --host <url>         the server (repeat, or comma-separate, for replicas to fail over between;
                           default $RUNLOG_HOST)
      --api-key <token>    a write token for the runs' projects (default $RUNLOG_API_KEY)
      --json               print the report as JSON
  -d, --dir <path>         the store (default $RUNLOG_DIR or ./runlog)
  -h, --help               show this help

Requests that fail for a while (network, 429, 5xx) are retried with backoff; the report says how many.`;

export const syncCommand: Command = {
  name: 'sync',
  summary: 'copy local runs and artifacts to a runlog server (resumable, sends only what is new)',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('sync', args, {
      all: { type: 'boolean' },
      host: { type: 'string', multiple: true },
      'api-key': { type: 'string' },
      ...JSON_OPTION,
    });
    const hostValues = (values.host as unknown as string[] | undefined) ?? [io.env.RUNLOG_HOST ?? ''];
    const hosts = hostValues
      .flatMap((h) => h.split(','))
      .map((h) => h.trim())
      .filter((h) => h.length > 0);
    if (hosts.length === 0) throw new UsageError('--host <url> (or RUNLOG_HOST) is needed', 'sync');
    const apiKey = values['api-key'] ?? io.env.RUNLOG_API_KEY;
    if (positionals.length > 0 && values.all) throw new UsageError('name runs or pass --all, not both', 'sync');
    if (positionals.length === 0 && !values.all) throw new UsageError('name the runs to sync, or pass --all', 'sync');
    const bar = new ProgressBar(io.stderr, 'sync');
    let label = '';
    let retries = 0;
    let runIndex = 0;
    let runCount = 1;
    const report = await syncStore({
      dir: values.dir,
      runs: positionals,
      all: values.all,
      hosts,
      apiKey,
      signal: io.interrupted,
      onRun: (run, index, total) => {
        label = `${run.project}/${run.runId}`;
        runIndex = index;
        runCount = total;
        bar.update(index / total, label);
      },
      onBytes: (sent) =>
        bar.update(runIndex / runCount, `${label} ${formatBytes(sent)}${retries ? `, ${retries} retries` : ''}`),
      onRetry: () => {
        retries++;
      },
    }).catch((error: unknown) => {
      bar.done();
      throw error instanceof RunlogError ? error : new RunlogError('SYNC_UNAVAILABLE', (error as Error).message);
    });
    bar.done();
    if (values.json) printJson(io, report);
    else printReport(io, report);
    return 0;
  },
};

function printReport(io: CliIo, report: SyncStoreReport): void {
  if (report.runs.length === 0 && report.artifacts.versions === 0) print(io, 'nothing to sync');
  for (const run of report.runs) print(io, describeRun(run));
  const a = report.artifacts;
  if (a.versions > 0) {
    print(
      io,
      `artifacts: ${a.created} new of ${a.versions} versions, ${formatBytes(a.sentBytes)} sent${a.retries ? `, ${a.retries} retries` : ''}`,
    );
  }
}

function describeRun(run: RunSyncReport & { state: string }): string {
  const parts: string[] = [];
  const streamBytes = run.streams.reduce((sum, s) => sum + (s.hwm - s.from), 0);
  if (run.streams.length > 0) {
    parts.push(
      `${run.streams.map((s) => `${s.stream} +${formatBytes(s.hwm - s.from)}`).join(', ')} in ${run.streams.reduce((n, s) => n + s.batches, 0)} batches`,
    );
  }
  if (run.documents.length > 0) parts.push(run.documents.join(', '));
  if (run.files.recorded > 0) {
    parts.push(
      `${run.files.recorded} files (${formatBytes(run.files.blobs.sentBytes)} sent, ${run.files.blobs.present} already there)`,
    );
  }
  if (run.artifacts.created > 0 || run.artifacts.blobs.uploaded > 0) {
    const blobs = run.artifacts.blobs;
    parts.push(
      `${run.artifacts.created} new of ${run.artifacts.versions} artifact versions (${blobs.uploaded} objects, ${formatBytes(blobs.sentBytes)} sent, ${blobs.present} already there)`,
    );
  }
  if (run.retries > 0) parts.push(`${run.retries} retries`);
  const what = parts.length > 0 || streamBytes > 0 ? parts.join('; ') : 'up to date';
  return `${run.project}/${run.runId} (${run.state}): ${what}`;
}
