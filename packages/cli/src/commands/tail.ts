import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Api, decodeJson, RUN_FILES, type RunView } from '@runlog/core';
import { type CliIo, print } from '../cliIo.js';
import type { Command } from '../command.js';
import { FileFollower } from '../fileFollower.js';
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
      --json              one JSON object per line: {"type":"history","row":{...}} or {"type":"console","text":"..."}
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

const ENDED = new Set(['finished', 'failed', 'crashed', 'killed']);

export const tailCommand: Command = {
  name: 'tail',
  summary: "follow a live run's history and console output",
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('tail', args, {
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
    const run = await resolveRunRef(new Api({ dir: values.dir }), ref, values.project);
    const followers: { kind: 'history' | 'console'; follower: FileFollower }[] = [];
    if (!values.console)
      followers.push({ kind: 'history', follower: new FileFollower(join(run.dir, RUN_FILES.history)) });
    if (!values.history)
      followers.push({ kind: 'console', follower: new FileFollower(join(run.dir, RUN_FILES.output)) });
    for (const { follower } of followers) await follower.seekToLastLines(lines);
    const emit = (kind: 'history' | 'console', line: string) => {
      if (kind === 'history') printHistoryLine(io, line, values.json === true);
      else if (values.json) print(io, JSON.stringify({ type: 'console', text: line }));
      else print(io, line);
    };
    const drain = async () => {
      for (const { kind, follower } of followers) for (const line of await follower.readLines()) emit(kind, line);
    };
    if (!values.json)
      io.stderr.write(`${io.errorColors.dim(`following ${run.path} (${run.state}); Ctrl-C to stop`)}\n`);
    for (;;) {
      await drain();
      if (io.interrupted.aborted) break;
      const state = await currentState(run);
      if (ENDED.has(state)) {
        await drain();
        if (!values.json) io.stderr.write(`run ${run.path} ${colorState(io.errorColors, state)}\n`);
        break;
      }
      await sleep(interval, undefined, { signal: io.interrupted }).catch(() => undefined);
    }
    return 0;
  },
};

async function currentState(run: RunView): Promise<string> {
  try {
    await run.reload();
    return run.state;
  } catch {
    return 'crashed'; // the run folder was deleted under us
  }
}

function printHistoryLine(io: CliIo, line: string, json: boolean): void {
  let row: Record<string, unknown>;
  try {
    row = decodeJson(line) as Record<string, unknown>;
  } catch {
    return; // a damaged line: skip it like every reader does
  }
  if (json) {
    print(
      io,
      JSON.stringify({ type: 'history', row }, (_k, v) =>
        typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
      ),
    );
    return;
  }
  const c = io.colors;
  const metrics = Object.entries(row)
    .filter(([key]) => !key.startsWith('_'))
    .map(([key, value]) => `${c.dim(key)} ${formatValue(value, 24)}`)
    .join('  ');
  print(io, `${c.cyan(`step ${row._step}`)}  ${metrics}`);
}
