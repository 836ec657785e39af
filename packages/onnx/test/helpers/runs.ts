import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson, init, type Run } from '@runlog/core';

/** A run in a fresh temp store, with console capture, system metrics and process hooks off. */
export function testRun(project = 'onnx-test'): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-onnx-'));
  return init({
    project,
    dir,
    settings: { console: false, systemMetrics: false, quiet: true, processHooks: false, metadata: false },
  });
}

/** The run's history rows as written on disk, decoded (NaN and Infinity restored). */
export function historyOf(run: Run): Array<Record<string, unknown>> {
  return readFileSync(join(run.dir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => decodeJson(line) as Record<string, unknown>);
}

/** The run's summary.json, decoded. */
export function summaryOf(run: Run): Record<string, unknown> {
  return decodeJson(readFileSync(join(run.dir, 'summary.json'), 'utf8')) as Record<string, unknown>;
}
