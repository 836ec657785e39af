import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson, init, type Run } from '@runlog/core';

/** A temporary store, removed by `cleanup`. */
export async function tempStore(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runlog-tfjs-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A real run in `store`, quiet and without background sampling. */
export function testRun(store: string, project = 'tfjs-test'): Promise<Run> {
  return init({ project, dir: store, settings: { systemMetrics: false, console: false, quiet: true } });
}

/** The run's history rows as written on disk (NaN/Infinity decoded). */
export async function historyOf(run: Run): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(run.dir, 'history.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => decodeJson(line) as Record<string, unknown>);
}

export async function jsonLinesOf(run: Run, file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(join(run.dir, file), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => decodeJson(line) as Record<string, unknown>);
}

export async function jsonOf(run: Run, file: string): Promise<Record<string, unknown>> {
  return decodeJson(await readFile(join(run.dir, file), 'utf8')) as Record<string, unknown>;
}
