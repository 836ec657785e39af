import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InitOptions, init, type Run } from '@runlog/core';
import { afterAll } from 'vitest';

/** A fresh temp folder, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** init() with the background extras off, so tests see only what they log. */
export function quietInit(dir: string, options: InitOptions = {}): Promise<Run> {
  return init({
    project: 'tb',
    dir,
    ...options,
    settings: { console: false, systemMetrics: false, quiet: true, ...options.settings },
  });
}

/** What test/python/read_logdir.py prints for one run folder. */
export interface TensorboardRunView {
  scalars: Record<string, Array<[number, number | string]>>;
  histograms: Record<string, Array<{ step: number; buckets: number[][] }>>;
  legacyHistograms: Record<
    string,
    Array<{ step: number; min: number; max: number; num: number; bucketLimit: number[]; bucket: number[] }>
  >;
  images: Record<string, Array<{ step: number; width: string; height: string; sha256: string[] }>>;
  text: Record<string, Array<[number, string]>>;
  hparams: { start?: { hparams: Record<string, unknown>; groupName: string }; end?: { status: number } };
}
