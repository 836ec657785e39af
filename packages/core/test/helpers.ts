import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson, type InitOptions, init, type Run } from '@runlog/core';

/** A fresh, empty store folder under the system temp dir. */
export function tempStore(prefix = 'runlog-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** init() with the background extras off, so tests see only what they log. */
export function quietInit(dir: string, options: InitOptions = {}): Promise<Run> {
  return init({
    project: 'test',
    dir,
    ...options,
    settings: { console: false, systemMetrics: false, quiet: true, ...options.settings },
  });
}

/** Every complete row of a JSON-lines file, decoded; a torn last line (no newline yet) is skipped, as FORMAT.md says. */
export function readRows(path: string): Array<Record<string, unknown>> {
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop(); // '' after the last newline, or a torn last line
  return lines.filter((line) => line.length > 0).map((line) => decodeJson(line) as Record<string, unknown>);
}

export function readJsonFile(path: string): Record<string, unknown> {
  return decodeJson(readFileSync(path, 'utf8')) as Record<string, unknown>;
}
