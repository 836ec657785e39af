import { resolveStoreDir } from '@runlog/core/internal';
import type { Command } from '../command.js';
import { integerOption, parseCommandArgs, positionals } from '../parseCommandArgs.js';

const help = `Usage: runlog agent <sweep> [options]

Run trials of a sweep: claim the next parameters, run the sweep's program or command with them (wandb's macros
\${env} \${interpreter} \${program} \${args} \${args_no_hyphens} \${args_json} \${args_json_file}), record the
outcome, repeat. Start as many agents as you like, in several terminals: they share the sweep. The trial's
init() gets its parameters as config. A trial stopped early (Hyperband, --cancel) first sees
run.stopRequested; one that keeps going gets SIGTERM after --grace.

Options:
  -c, --count <n>         run at most n trials (default: until the sweep has none left)
      --grace <ms>        how long a stopped trial may take to end before SIGTERM (default 10000)
      --host <url>        the sweep is on this runlog server (default $RUNLOG_HOST); trials' runs go to --dir
                          (and also stream online when $RUNLOG_HOST and $RUNLOG_API_KEY are both set)
      --api-key <token>   the server's token (default $RUNLOG_API_KEY)
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

export const agentCommand: Command = {
  name: 'agent',
  summary: 'run trials of a sweep (several agents share one sweep)',
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('agent', args, {
      count: { type: 'string', short: 'c' },
      grace: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
    });
    const [ref] = positionals('agent', rest, ['sweep']);
    const count = values.count === undefined ? undefined : integerOption('agent', 'count', values.count, 0);
    const graceMs = integerOption('agent', 'grace', values.grace, 10_000);
    // Loaded on demand: the other commands never pay for the sweeps package.
    const { openSweepState, runAgent, runCommandTrial } = await import('@runlog/sweeps');
    const result = await runAgent(
      ref,
      {
        count,
        dir: resolveStoreDir(values.dir),
        state: openSweepState({ dir: values.dir, host: values.host, apiKey: values['api-key'] }),
        signal: io.interrupted,
        log: (line) => io.stderr.write(`runlog agent: ${line}\n`),
      },
      (context) => runCommandTrial(context, { graceMs }),
    );
    io.stderr.write(`runlog agent: ${result.trials.length} trial(s) run; done: ${result.reason}\n`);
    return io.interrupted.aborted ? 130 : 0;
  },
};
