import { Api, type RunView } from '@runlog/core';
import { print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { ProgressBar } from '../output/progressBar.js';
import { JSON_OPTION, parseCommandArgs } from '../parseCommandArgs.js';
import { resolveRunRef } from '../resolveRunRef.js';
import { UsageError } from '../usageError.js';
import { loadTensorboard } from './loadTensorboard.js';

const help = `Usage: runlog export tensorboard <run>... --logdir <path> [options]
       runlog export tensorboard --project <name> --logdir <path> [options]

Write stored runs as TensorBoard event files: <logdir>/<run name>/events.out.tfevents.* with the history
(scalars, histograms, images, text), the config as hparams and the summary. Exporting again replaces a run's file.
Then: tensorboard --logdir <path>

Options:
  -l, --logdir <path>       TensorBoard's logdir (created if missing)
  -p, --project <name>      every run of this project (or where to look for the <run>s named)
      --scalars <form>      tensor (TensorBoard's current form, float64; default) or simple_value (float32)
      --json                print what was written as JSON
  -d, --dir <path>          the store (default $RUNLOG_DIR or ./runlog)
  -h, --help                show this help`;

export const exportTensorboardCommand: Command = {
  name: 'export tensorboard',
  summary: 'write runs as TensorBoard event files',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('export tensorboard', args, {
      logdir: { type: 'string', short: 'l' },
      project: { type: 'string', short: 'p' },
      scalars: { type: 'string' },
      ...JSON_OPTION,
    });
    if (!values.logdir) throw new UsageError('missing --logdir <path>', 'export tensorboard');
    if (positionals.length === 0 && values.project === undefined)
      throw new UsageError('name runs to export, or a --project', 'export tensorboard');
    const scalars = values.scalars ?? 'tensor';
    if (scalars !== 'tensor' && scalars !== 'simple_value')
      throw new UsageError(
        `--scalars must be tensor or simple_value, got ${JSON.stringify(scalars)}`,
        'export tensorboard',
      );
    const tensorboard = await loadTensorboard('export tensorboard');
    const api = new Api({ dir: values.dir });
    const runs: RunView[] =
      positionals.length > 0
        ? await Promise.all(positionals.map((ref) => resolveRunRef(api, ref, values.project)))
        : await api.runs(values.project).toArray();
    const bar = new ProgressBar(io.stderr, 'exporting to TensorBoard');
    const results = await tensorboard
      .exportRuns(runs, {
        logdir: values.logdir,
        scalars,
        onProgress: (fraction, run) => bar.update(fraction, run),
      })
      .finally(() => bar.done());
    if (values.json) {
      printJson(io, results);
      return 0;
    }
    for (const result of results) {
      const skipped = Object.entries(result.skipped).map(([kind, count]) => `${count} ${kind}`);
      print(
        io,
        `${result.run} -> ${result.file} (${result.rows} rows, ${result.images} images${skipped.length ? `; left out: ${skipped.join(', ')}` : ''})`,
      );
    }
    if (results.length === 0) print(io, `no runs in project ${values.project}`);
    return 0;
  },
};
