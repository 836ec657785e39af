import { RunlogError } from '@runlog/core';
import { type CliIo, processIo } from './cliIo.js';
import type { Command } from './command.js';
import { agentCommand } from './commands/agent.js';
import { artifactCommand } from './commands/artifact.js';
import { exportCommand } from './commands/export.js';
import { gcCommand } from './commands/gc.js';
import { importCommand } from './commands/import.js';
import { lsCommand } from './commands/ls.js';
import { serverCommand } from './commands/server.js';
import { showCommand } from './commands/show.js';
import { sweepCommand } from './commands/sweep.js';
import { syncCommand } from './commands/sync.js';
import { tailCommand } from './commands/tail.js';
import { uiCommand } from './commands/ui.js';
import { EXIT } from './exitCodes.js';
import { UsageError } from './usageError.js';

export const COMMANDS: readonly Command[] = [
  lsCommand,
  showCommand,
  tailCommand,
  exportCommand,
  importCommand,
  artifactCommand,
  gcCommand,
  uiCommand,
  sweepCommand,
  agentCommand,
  serverCommand,
  syncCommand,
];

/** Store errors that mean the command line asked for something malformed: exit 2 like other usage errors. */
const USAGE_CODES = new Set(['FILTER_INVALID', 'INVALID_ARGUMENT']);

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: runlog <command> [options]

Read and tidy a runlog store from the terminal.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Every command takes --dir <path> (default $RUNLOG_DIR or ./runlog) and --help.
Exit codes: 0 ok, 1 error (unknown run, damaged store...), 2 usage (bad option or argument).`;
}

/**
 * Runs `runlog` with these arguments and resolves to the exit code. Errors are printed, never thrown.
 * @example
 * process.exitCode = await main(['ls', '--json']);
 */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  if (!io) process.once('SIGINT', onInterrupt);
  const out = io ?? processIo(controller.signal);
  const [name, ...args] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? COMMANDS.find((c) => c.name === args[0]) : undefined;
      out.stdout.write(`${topic ? topic.help : overview()}\n`);
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    if (args.includes('--help') || args.includes('-h')) {
      const sub = command.subcommands?.find((c) => c.name === `${name} ${args[0]}`);
      out.stdout.write(`${(sub ?? command).help}\n`);
      return EXIT.ok;
    }
    return await command.run(args, out);
  } catch (error) {
    return report(out, name, error);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

function report(io: CliIo, command: string | undefined, error: unknown): number {
  const red = io.errorColors.red;
  const where = command && COMMANDS.some((c) => c.name === command) ? `runlog ${command}` : 'runlog';
  if (error instanceof UsageError) {
    io.stderr.write(`${where}: ${red(error.message)}\nRun '${where} --help' for usage.\n`);
    return EXIT.usage;
  }
  if (error instanceof RunlogError) {
    io.stderr.write(`${where}: ${red(`${error.code}: ${error.message}`)}\n`);
    return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.error;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`${where}: ${red(message)}\n`);
  return EXIT.error;
}
