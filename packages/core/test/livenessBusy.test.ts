import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveState } from '@runlog/core/internal';
import { describe, expect, it } from 'vitest';
import { readerState } from '../src/run/liveness.js';
import { startOwnerChild } from './childProcess.js';
import { readJsonFile, tempStore } from './helpers.js';

describe('a busy but alive run stays running', () => {
  it('the heartbeat goes on during a long synchronous loop, and the run never reads as crashed', async () => {
    const store = tempStore();
    const child = startOwnerChild(store, 'busy', 'busy1', '7000');
    await child.waitFor('ready');
    await new Promise((r) => setTimeout(r, 500));
    const dir = join(store, 'own', 'runs', 'busy1');
    const beatAt = () => Date.parse(JSON.parse(readFileSync(join(dir, 'heartbeat'), 'utf8')).at);
    const seen: number[] = [];
    const states: string[] = [];
    const remote: string[] = [];
    // heartbeatIntervalMs is 200: sample for 3 s, well past three silent intervals.
    for (let i = 0; i < 6 && child.proc.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const record = readJsonFile(join(dir, 'run.json')) as unknown as Parameters<typeof effectiveState>[1];
      seen.push(beatAt());
      states.push(effectiveState(dir, record));
      // A reader on another machine cannot check the pid: it goes by the heartbeat alone.
      const heartbeat = JSON.parse(readFileSync(join(dir, 'heartbeat'), 'utf8'));
      remote.push(readerState({ record, heartbeat, host: 'another-machine' }));
    }
    expect(child.events.some((e) => e.event === 'done')).toBe(false); // all samples were taken inside the loop
    expect(states.every((s) => s === 'running')).toBe(true);
    expect(remote.every((s) => s === 'running')).toBe(true);
    expect(new Set(seen).size).toBeGreaterThanOrEqual(4); // the beat moved while the loop never yielded
    const done = await child.waitFor('done');
    expect(done.rows).toBeGreaterThan(0);
    expect(readJsonFile(join(dir, 'run.json')).state).toBe('finished');
  }, 60_000);
});
