import { isAbsolute } from 'node:path';
import { SweepConfigError } from './sweepConfigError.js';

/** wandb's command macros, written literally as in a sweep config. */
// biome-ignore-start lint/suspicious/noTemplateCurlyInString: these are wandb's macros, not template literals
export const MACROS = {
  env: '${env}',
  interpreter: '${interpreter}',
  program: '${program}',
  args: '${args}',
  argsNoHyphens: '${args_no_hyphens}',
  argsJson: '${args_json}',
  argsJsonFile: '${args_json_file}',
} as const;
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: end of the macros

/** wandb's default command. */
export const DEFAULT_COMMAND = [MACROS.env, MACROS.interpreter, MACROS.program, MACROS.args];

/** How a parameter value is written into `--name=value`: strings as they are, everything else as JSON. */
function argumentText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface CommandInputs {
  command?: string[];
  program?: string;
  /** The trial's config: top-level keys become arguments (nested parameters as one JSON object, as wandb). */
  params: Record<string, unknown>;
  /** Where `${args_json_file}` is written (the agent writes it). */
  argsJsonFile?: string;
  /** The Node executable for `${interpreter}` (default this process's). */
  node?: string;
}

/**
 * The argv of a trial, with wandb's macros: `${env}` (/usr/bin/env, nothing on Windows), `${interpreter}` (node,
 * plus `--import tsx` for a TypeScript program), `${program}`, `${args}` (--name=value ...), `${args_no_hyphens}`
 * (name=value ...), `${args_json}` (one argument: the parameters as JSON), `${args_json_file}` (a file holding
 * it). A macro inside a longer argument is replaced by its text.
 * @example buildCommand({ program: 'train.js', params: { lr: 0.1 } }) // ['/usr/bin/env', node, 'train.js', '--lr=0.1']
 */
export function buildCommand(inputs: CommandInputs): string[] {
  const template = inputs.command ?? DEFAULT_COMMAND;
  const uses = (macro: string) => template.some((part) => part.includes(macro));
  if (uses(MACROS.program) && !inputs.program)
    throw new SweepConfigError(
      'program',
      `the command uses ${MACROS.program}: give the program to run (e.g. train.js)`,
    );
  const entries = Object.entries(inputs.params);
  const program = inputs.program ?? '';
  const typescript = /\.(ts|mts|cts|tsx)$/.test(program);
  const expansions: Record<string, string[]> = {
    [MACROS.env]: process.platform === 'win32' ? [] : ['/usr/bin/env'],
    [MACROS.interpreter]: [inputs.node ?? process.execPath, ...(typescript ? ['--import', 'tsx'] : [])],
    [MACROS.program]: [program],
    [MACROS.args]: entries.map(([key, value]) => `--${key}=${argumentText(value)}`),
    [MACROS.argsNoHyphens]: entries.map(([key, value]) => `${key}=${argumentText(value)}`),
    [MACROS.argsJson]: [JSON.stringify(inputs.params)],
    [MACROS.argsJsonFile]: [inputs.argsJsonFile ?? ''],
  };
  const argv: string[] = [];
  for (const part of template) {
    if (part in expansions) argv.push(...expansions[part]);
    else
      argv.push(part.replace(/\$\{[a-z_]+\}/g, (macro) => (macro in expansions ? expansions[macro].join(' ') : macro)));
  }
  if (argv.length === 0 || argv[0] === '') throw new SweepConfigError('command', 'expands to nothing to run');
  if (argv[0] === '/usr/bin/env' && argv.length > 1 && isAbsolute(argv[1])) argv.shift(); // env adds nothing to an absolute path
  return argv;
}
