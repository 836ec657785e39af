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
    const parsed = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
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
