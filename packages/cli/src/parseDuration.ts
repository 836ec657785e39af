import { UsageError } from './usageError.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `15m`, `12h`, `30d`, `2w` in milliseconds; anything else is a usage error. */
export function parseDuration(command: string, option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(text.trim());
  if (!match)
    throw new UsageError(`--${option} must look like 30d, 12h, 15m or 90s, got ${JSON.stringify(text)}`, command);
  return Number(match[1]) * UNITS[match[2]];
}
