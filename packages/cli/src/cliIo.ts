import { encodeJson } from '@runlog/core';
import { type Colors, createColors } from './output/colors.js';

/** Where a command writes, and what the terminal can show. Tests and `main()` callers pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  /** Colours for stdout (none unless stdout is a terminal and NO_COLOR is unset). */
  colors: Colors;
  /** Colours for stderr. */
  errorColors: Colors;
  /** A signal that fires on SIGINT, for commands that run until interrupted. */
  interrupted: AbortSignal;
}

export function processIo(interrupted: AbortSignal): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    colors: createColors(process.stdout, process.env),
    errorColors: createColors(process.stderr, process.env),
    interrupted,
  };
}

export function print(io: CliIo, text = ''): void {
  io.stdout.write(`${text}\n`);
}

/**
 * JSON output for scripts, in runlog's one value codec (docs/FORMAT.md, "Values"): NaN, ±Infinity and -0 as
 * `{"_type":"float","value":"NaN"}` objects and dates as `_type: "date"`, as the store writes them, so
 * `decodeJson` from @runlog/core reads every number back exactly.
 */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${encodeJson(value, 2)}\n`);
}
