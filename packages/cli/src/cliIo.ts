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

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

/** JSON output keeps NaN and ±Infinity readable (as strings) instead of turning them into null. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return Number(value);
  return value;
}
