import type { CliIo } from './cliIo.js';

/** One `runlog <name>` command: its help text and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Commands under this one (`runlog export tensorboard`): `--help` after one of them shows its help alone. */
  subcommands?: readonly Command[];
  run(args: string[], io: CliIo): Promise<number>;
}
