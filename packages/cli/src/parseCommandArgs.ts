import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parsed option values: booleans for boolean options, strings for the others, undefined when absent. */
export type OptionValues<T> = { [K in keyof T]?: T[K] extends { type: 'boolean' } ? boolean : string };

export interface ParsedArgs<T> {
  values: OptionValues<T & typeof COMMON_OPTIONS>;
  positionals: string[];
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  dir: { type: 'string', short: 'd' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies Options;

/** node:util parseArgs, strict, with its errors turned into usage errors (exit code 2). */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T): ParsedArgs<T> {
  try {
    const all = { ...COMMON_OPTIONS, ...options };
    const parsed = parseArgs({ args: joinDashValues(args, all), options: all, allowPositionals: true, strict: true });
    return parsed as ParsedArgs<T>;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''), command);
  }
}

/** A non-negative integer option, or a usage error naming it. */
export function integerOption(command: string, name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(value)}`, command);
  }
  return number;
}

/** Exactly `count` positional arguments, named in the message when missing. */
export function positionals(command: string, values: string[], names: string[]): string[] {
  if (values.length < names.length) throw new UsageError(`missing <${names[values.length]}>`, command);
  if (values.length > names.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(values[names.length])}`, command);
  }
  return values;
}

/**
 * parseArgs refuses `--sort -summary.loss` (a value that starts with a dash). For options that take a value,
 * a following argument that is not itself one of our options is the value: rewrite it as `--sort=-summary.loss`.
 */
function joinDashValues(args: string[], options: Options): string[] {
  const takesValue = new Map<string, string>();
  for (const [name, option] of Object.entries(options)) {
    if (option.type !== 'string') continue;
    takesValue.set(`--${name}`, name);
    if (option.short) takesValue.set(`-${option.short}`, name);
  }
  const isOption = (arg: string) => {
    const flag = arg.split('=')[0];
    return flag.startsWith('--')
      ? flag.slice(2) in options
      : Object.values(options).some((o) => `-${o.short}` === flag);
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = takesValue.get(args[i]);
    const next = args[i + 1];
    if (name !== undefined && next?.startsWith('-') && next !== '--' && !isOption(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(args[i]);
  }
  return out;
}
