import { print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { ProgressBar } from '../output/progressBar.js';
import { JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';
import { loadTensorboard } from './loadTensorboard.js';

const help = `Usage: runlog import tensorboard <logdir> --project <name> [options]

Turn a TensorBoard logdir into runlog runs: one run per folder of event files (Keras-style train/, validation/
and val/ subfolders join their parent's run, tags prefixed train/...), scalars, histograms, images and text into
history at their steps, hparams into config. Importing again creates no run twice: unchanged runs are left as
they are, runs whose files grew are imported again in their place.

Options:
  -p, --project <name>      the project the runs go into
      --json                print what was imported as JSON
  -d, --dir <path>          the store (default $RUNLOG_DIR or ./runlog)
  -h, --help                show this help`;

export const importTensorboardCommand: Command = {
  name: 'import tensorboard',
  summary: 'turn a TensorBoard logdir into runs',
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('import tensorboard', args, {
      project: { type: 'string', short: 'p' },
      ...JSON_OPTION,
    });
    const [logdir] = positionals('import tensorboard', rest, ['logdir']);
    if (!values.project) throw new UsageError('missing --project <name>', 'import tensorboard');
    const tensorboard = await loadTensorboard('import tensorboard');
    const bar = new ProgressBar(io.stderr, 'importing from TensorBoard');
    const results = await tensorboard
      .importTensorboard(logdir, {
        project: values.project,
        dir: values.dir,
        onProgress: (fraction, run) => bar.update(fraction, run),
      })
      .finally(() => bar.done());
    if (values.json) {
      printJson(io, results);
      return 0;
    }
    for (const result of results) {
      const { stats } = result;
      const notes = [
        stats.badCrcRecords ? `${stats.badCrcRecords} records with a bad crc skipped` : '',
        stats.truncatedFiles ? `${stats.truncatedFiles} files cut inside a record` : '',
        stats.malformed ? `${stats.malformed} malformed records` : '',
        ...Object.entries(stats.skipped).map(([kind, count]) => `${count} ${kind} left out`),
      ].filter(Boolean);
      const what = result.status === 'unchanged' ? 'already imported' : `${result.rows} rows`;
      print(
        io,
        `${result.status} ${result.name} -> ${result.path} (${what})${notes.length ? `: ${notes.join('; ')}` : ''}`,
      );
    }
    if (results.length === 0) print(io, `no event files under ${logdir}`);
    return 0;
  },
};
