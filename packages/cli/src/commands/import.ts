import type { Command } from '../command.js';
import { UsageError } from '../usageError.js';
import { importTensorboardCommand } from './importTensorboard.js';

const SOURCES: readonly Command[] = [importTensorboardCommand];

const help = `Usage: runlog import <source> ... [options]

Bring runs in from other tools.

Sources:
${SOURCES.map((c) => `  ${c.name.replace(/^import /, '').padEnd(12)}  ${c.summary}`).join('\n')}

${SOURCES.map((c) => c.help).join('\n\n')}`;

export const importCommand: Command = {
  name: 'import',
  summary: 'bring runs in from other tools (TensorBoard logdirs)',
  help,
  subcommands: SOURCES,
  async run(args, io) {
    const [source, ...rest] = args;
    const command = SOURCES.find((c) => c.name === `import ${source}`);
    if (!command)
      throw new UsageError(source ? `unknown source ${JSON.stringify(source)}` : 'missing <source>', 'import');
    return command.run(rest, io);
  },
};
