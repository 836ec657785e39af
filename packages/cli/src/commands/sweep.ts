import { resolveStoreDir } from '@runlog/core/internal';
import { print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';
import { renderSweep } from './sweepView.js';

const help = `Usage: runlog sweep <config.yaml> [options]     create a sweep, print its id
       runlog sweep show <sweep> [--json]        trials, best trial and parameter importance
       runlog sweep --pause|--resume|--stop|--cancel <sweep>

A sweep config is wandb's (YAML or JSON): method grid|random|bayes, metric, parameters, early_terminate,
run_cap, program/command. Start agents with \`runlog agent <sweep>\`. <sweep> is an id or project/id.
  --pause    agents wait before their next trial          --resume   undo --pause
  --stop     no new trials; running ones finish           --cancel   no new trials; running ones are stopped

Options:
  -p, --project <name>    the sweep's project (default: the config's project, else uncategorized)
      --json              (show) print the report as JSON
      --host <url>        keep the sweep on a runlog server, shared by agents on any machine (default $RUNLOG_HOST)
      --api-key <token>   the server's token (default $RUNLOG_API_KEY)
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

const ACTIONS = ['pause', 'resume', 'stop', 'cancel'] as const;

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'create, show, pause, resume, stop or cancel a hyperparameter sweep',
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('sweep', args, {
      project: { type: 'string', short: 'p' },
      pause: { type: 'boolean' },
      resume: { type: 'boolean' },
      stop: { type: 'boolean' },
      cancel: { type: 'boolean' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      ...JSON_OPTION,
    });
    // Loaded on demand: the other commands never pay for the sweeps package.
    const sweeps = await import('@runlog/sweeps');
    const dir = resolveStoreDir(values.dir);
    // The server with --host (or $RUNLOG_HOST when --dir is not given), else the local store.
    const state = sweeps.openSweepState({ dir: values.dir, host: values.host, apiKey: values['api-key'] });
    const actions = ACTIONS.filter((action) => values[action]);
    if (actions.length > 1) throw new UsageError(`give one of --${actions.join(', --')}`, 'sweep');
    if (actions.length === 1) {
      const [ref] = positionals('sweep', rest, ['sweep']);
      const record = await sweeps.controlSweep(ref, actions[0], { dir, state });
      print(io, `sweep ${record.project}/${record.id} is ${record.state}`);
      return 0;
    }
    if (rest[0] === 'show') {
      const [, ref] = positionals('sweep', rest, ['show', 'sweep']);
      const report = sweeps.sweepReport(await state.snapshot(await state.resolve(ref)));
      if (values.json) printJson(io, report);
      else print(io, renderSweep(report, io));
      return 0;
    }
    const [file] = positionals('sweep', rest, ['config.yaml']);
    const record = await sweeps.createSweep(file, { project: values.project, dir, state });
    print(io, record.id);
    io.stderr.write(
      `created sweep ${record.project}/${record.id}; run agents with: runlog agent ${record.project}/${record.id}\n`,
    );
    return 0;
  },
};
