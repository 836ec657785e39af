import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJson } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { main } from './run.js';

function jsonLines(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => decodeJson(line) as Record<string, unknown>);
}

describe('examples/onnx-classifier', () => {
  it('builds, logs, loads, watches and logs predictions end to end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runlog-onnx-example-'));
    const result = await main({ dir, referenceCount: 300, testCount: 80, batchSize: 4, galleryCount: 12, quiet: true });
    expect(result.modelArtifact).toBe('onnx-classifier/digits-cnn:v0');
    expect(result.calls).toBe(20);
    expect(result.accuracy).toBeGreaterThan(0.5); // ten classes: chance is 0.1

    const run = JSON.parse(readFileSync(join(result.runDir, 'run.json'), 'utf8'));
    expect(run.state).toBe('finished');
    const rows = jsonLines(join(result.runDir, 'history.jsonl'));
    const windows = rows.filter((r) => 'inference/digits-cnn/latency_ms/p50' in r);
    expect(windows).toHaveLength(2); // 20 calls at logFreq 10
    expect(windows[1]['inference/digits-cnn/input/image/shape']).toEqual([4, 1, 28, 28]);
    const gallery = rows.find((r) => 'predictions' in r)?.predictions as { path: string };
    expect(gallery).toMatchObject({ _type: 'table-file', nrows: 12, ncols: 7 });
    const table = decodeJson(readFileSync(join(result.runDir, gallery.path), 'utf8')) as { data: unknown[][] };
    expect(table.data[0][1]).toMatchObject({ _type: 'image-file', width: 28, height: 28 });

    const summary = decodeJson(readFileSync(join(result.runDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary['inference/digits-cnn/calls']).toBe(20);
    expect(summary['inference/digits-cnn/items']).toBe(80);
    expect(summary['test/accuracy']).toBe(result.accuracy);

    const lineage = jsonLines(join(result.runDir, 'artifacts.jsonl'));
    expect(lineage.map((l) => `${l.direction} ${l.artifact}`)).toEqual([
      'logged onnx-classifier/digits-cnn:v0',
      'used onnx-classifier/digits-cnn:v0',
    ]);
    const version = JSON.parse(
      readFileSync(join(dir, 'onnx-classifier', 'artifacts', 'digits-cnn', 'versions', 'v0', 'version.json'), 'utf8'),
    );
    expect(version).toMatchObject({
      type: 'model',
      metadata: { format: 'onnx', parameterCount: 5 * 9 + 5 + 245 * 10 + 10 },
    });
    expect(version.metadata.inputs).toEqual([{ name: 'image', type: 'float32', shape: ['batch', 1, 28, 28] }]);
  });
});
