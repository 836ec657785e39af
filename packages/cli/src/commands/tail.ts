import { encodeJson, type HistoryRow, type RunView } from '@runlog/core';
import { type CliIo, print } from '../cliIo.js';
import type { Command } from '../command.js';
import { openApi, REMOTE_HELP, REMOTE_OPTIONS } from '../openApi.js';
import { formatValue } from '../output/formatValue.js';
import { colorState } from '../output/stateColor.js';
import { integerOption, JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { resolveRunRef } from '../resolveRunRef.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog tail <run> [options]

Follow a run's history and console output as it is written. Stops when the run ends (finished, failed,
crashed or killed) or on Ctrl-C.

Options:
  -p, --project <name>    look for <run> in this project
  -n, --lines <n>         lines of history and of console output to show first (default 10)
      --history           only history rows
      --console           only console output
  -i, --interval <ms>     how often to look for new lines (default 500)
      --json              one JSON object per line: {"type":"history","row":{...}} (values as the store writes them:
                          NaN is {"_type":"float","value":"NaN"}) or {"type":"console","text":"..."}
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
${REMOTE_HELP}
  -h, --help              show this help`;

export const tailCommand: Command = {
  name: 'tail',
  summary: "follow a live run's history and console output",
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('tail', args, {
      ...REMOTE_OPTIONS,
      project: { type: 'string', short: 'p' },
      lines: { type: 'string', short: 'n' },
      history: { type: 'boolean' },
      console: { type: 'boolean' },
      interval: { type: 'string', short: 'i' },
      ...JSON_OPTION,
    });
    const [ref] = positionals('tail', rest, ['run']);
    if (values.history && values.console) throw new UsageError('--history and --console exclude each other', 'tail');
    const lines = integerOption('tail', 'lines', values.lines, 10);
    const interval = Math.max(20, integerOption('tail', 'interval', values.interval, 500));
    const json = values.json === true;
    const run = await resolveRunRef(openApi('tail', values), ref, values.project);
    const streams: ('history' | 'output')[] = [];
    if (!values.console) streams.push('history');
    if (!values.history) streams.push('output');
    if (!json) io.stderr.write(`${io.errorColors.dim(`following ${run.path} (${run.state}); Ctrl-C to stop`)}\n`);
    const consoleLines = new ConsoleLines((line) => {
      if (json) print(io, JSON.stringify({ type: 'console', text: line }));
      else print(io, line);
    });
    // The run's streams through the read API: the last `lines` of each, then what is appended, until it ends.
    const follow = run.follow(streams, { last: lines, intervalMs: interval, signal: io.interrupted });
    for await (const { chunk } of follow) {
      if ('text' in chunk) consoleLines.add(chunk.text);
      else for (const row of chunk.rows) printHistoryRow(io, row, json);
    }
    consoleLines.end();
    if (!io.interrupted.aborted && !json) {
      io.stderr.write(`run ${run.path} ${colorState(io.errorColors, await currentState(run))}\n`);
    }
    return 0;
  },
};

/** Console text cut into whole lines; a piece without its newline waits for the rest (or the end). */
class ConsoleLines {
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  add(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    for (const line of lines) this.emit(line);
  }

  end(): void {
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }
}

async function currentState(run: RunView): Promise<string> {
  try {
    await run.reload();
    return run.state;
  } catch {
    return 'crashed'; // the run was deleted under us
  }
}

function printHistoryRow(io: CliIo, row: HistoryRow, json: boolean): void {
  if (json) {
    // The row as the store holds it: NaN, ±Infinity, -0 and dates in runlog's encoded form (docs/FORMAT.md).
    print(io, encodeJson({ type: 'history', row }));
    return;
  }
  const c = io.colors;
  const metrics = Object.entries(row)
    .filter(([key]) => !key.startsWith('_'))
    .map(([key, value]) => `${c.dim(key)} ${formatValue(value, 24)}`)
    .join('  ');
  print(io, `${c.cyan(`step ${row._step}`)}  ${metrics}`);
}
