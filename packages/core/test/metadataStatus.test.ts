import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

describe('metadata, system metrics, console capture and status', () => {
  it('records host, node, command and the git commit of the working tree', async () => {
    const run = await quietInit(tempStore(), { tags: ['a'], notes: 'n', group: 'g', jobType: 'train' });
    // The dirty check (a `git status`) runs a second after start, off the start-up path.
    await new Promise((r) => setTimeout(r, 1300));
    await run.finish();
    const doc = readJsonFile(join(run.dir, 'run.json')) as { metadata: Record<string, unknown> } & Record<
      string,
      unknown
    >;
    expect(doc).toMatchObject({ tags: ['a'], notes: 'n', group: 'g', jobType: 'train', formatVersion: 1 });
    const meta = doc.metadata as {
      node: string;
      cpuCount: number;
      memoryBytes: number;
      git?: { commit?: string; dirty?: boolean };
    };
    expect(meta.node).toBe(process.version);
    expect(meta.cpuCount).toBeGreaterThan(0);
    expect(meta.memoryBytes).toBeGreaterThan(0);
    // The tests run inside the runlog repository.
    expect(meta.git?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof meta.git?.dirty).toBe('boolean');
  });

  it('samples system metrics into system.jsonl and captures console output', async () => {
    const run = await quietInit(tempStore(), {
      settings: { systemMetrics: true, systemMetricsIntervalMs: 50, console: true, quiet: true },
    });
    process.stdout.write('visible line from the test\n');
    await new Promise((r) => setTimeout(r, 180));
    await run.finish();
    const samples = readRows(join(run.dir, 'system.jsonl'));
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples[0]['system/proc.memory.rssMB'] as number).toBeGreaterThan(10);
    expect(samples[0]).toHaveProperty('system/cpu.percent');
    expect(samples[0]).toHaveProperty('system/eventLoop.lagMs');
    expect(readFileSync(join(run.dir, 'output.log'), 'utf8')).toContain('visible line from the test');
  });

  it('status() reports queued bytes, rows and the last flush', async () => {
    const run = await quietInit(tempStore(), {
      settings: { flushIntervalMs: 60_000, console: false, systemMetrics: false, quiet: true },
    });
    run.log({ a: 1 });
    // The row is queued, not on disk yet: rowsWritten counts rows on disk.
    expect(run.status()).toMatchObject({ state: 'running', step: 1, rowsWritten: 0, writeErrors: 0, errors: [] });
    expect(run.status().queuedBytes).toBeGreaterThan(0);
    await run.flush();
    expect(run.status().queuedBytes).toBe(0);
    expect(run.status().rowsWritten).toBe(1);
    expect(run.status().lastFlushAt).toBeInstanceOf(Date);
    await run.finish();
    expect(run.status().state).toBe('finished');
  });

  it('markPreempting records the state', async () => {
    const run = await quietInit(tempStore());
    run.markPreempting();
    await run.flush();
    expect(readJsonFile(join(run.dir, 'run.json')).state).toBe('preempting');
    await run.finish();
  });
});
