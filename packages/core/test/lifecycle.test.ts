import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunState } from '@runlog/core';
import { effectiveState } from '@runlog/core/internal';
import { describe, expect, it } from 'vitest';
import { readJsonFile, readRows, tempStore } from './helpers.js';

const child = join(import.meta.dirname, 'fixtures', 'childRun.ts');

function start(store: string, scenario: string, id: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', child, store, scenario, id], {
    cwd: join(import.meta.dirname, '..', '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function waitFor(proc: ChildProcess, marker: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes(marker)) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before ${marker}: ${out}`)));
  });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Starts a scenario, waits for its marker (and `delayMs` more), sends `signal` and waits for the exit. */
async function signalAt(
  store: string,
  scenario: string,
  id: string,
  marker: string,
  signal: NodeJS.Signals,
  delayMs = 0,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const proc = start(store, scenario, id);
  const done = exited(proc);
  await waitFor(proc, marker);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  proc.kill(signal);
  return done;
}

function stateOf(store: string, id: string): { stored: RunState; effective: RunState; exitCode: unknown } {
  const dir = join(store, 'life', 'runs', id);
  const doc = readJsonFile(join(dir, 'run.json')) as {
    state: RunState;
    exitCode: unknown;
    heartbeatIntervalMs: number;
  };
  return { stored: doc.state, effective: effectiveState(dir, doc), exitCode: doc.exitCode };
}

describe('lifecycle in real child processes', () => {
  it('SIGKILL: every row flushed before the kill is readable and the run reads as crashed', async () => {
    const store = tempStore();
    expect((await signalAt(store, 'killme', 'killed1', 'FLUSHED', 'SIGKILL', 100)).signal).toBe('SIGKILL');
    const rows = readRows(join(store, 'life', 'runs', 'killed1', 'history.jsonl'));
    expect(rows.length).toBeGreaterThanOrEqual(100);
    expect(rows.map((row) => row._step)).toEqual(rows.map((_, i) => i));
    expect(rows.slice(0, 100).map((r) => r.i)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const state = stateOf(store, 'killed1');
    expect(state.stored).toBe('running');
    expect(state.effective).toBe('crashed');
  }, 30_000);

  it('a stale heartbeat reads as crashed even when the pid looks alive', () => {
    const store = tempStore();
    const dir = join(store, 'x');
    mkdirSync(dir, { recursive: true });
    const at = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(join(dir, 'heartbeat'), JSON.stringify({ pid: process.pid, host: 'elsewhere', at }));
    expect(effectiveState(dir, { state: 'running', heartbeatIntervalMs: 1000 })).toBe('crashed');
    expect(effectiveState(dir, { state: 'running', heartbeatIntervalMs: 60_000 })).toBe('running');
    expect(effectiveState(dir, { state: 'finished' })).toBe('finished');
  });

  it('SIGTERM records killed with exit code 143 and writes the pending row', async () => {
    const store = tempStore();
    expect((await signalAt(store, 'sigterm', 'term1', 'READY', 'SIGTERM')).signal).toBe('SIGTERM');
    expect(stateOf(store, 'term1')).toMatchObject({ stored: 'killed', effective: 'killed', exitCode: 143 });
    const rows = readRows(join(store, 'life', 'runs', 'term1', 'history.jsonl'));
    expect(rows.map((r) => r.loss)).toEqual([1, 0.5]);
  }, 30_000);

  it('SIGINT during a write that never finishes: the handler writes those rows too, in order', async () => {
    const store = tempStore();
    await signalAt(store, 'stuck-write', 'stuck1', 'STUCK', 'SIGINT');
    const rows = readRows(join(store, 'life', 'runs', 'stuck1', 'history.jsonl'));
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(rows.map((r) => r._step)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    expect(stateOf(store, 'stuck1')).toMatchObject({ stored: 'killed', exitCode: 130 });
  }, 30_000);

  it('an uncaught exception records failed and Node still exits with 1', async () => {
    const store = tempStore();
    const result = await exited(start(store, 'throw', 'throw1'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/training blew up/);
    expect(stateOf(store, 'throw1')).toMatchObject({ stored: 'failed', exitCode: 1 });
    expect(readRows(join(store, 'life', 'runs', 'throw1', 'history.jsonl'))).toHaveLength(1);
  }, 30_000);

  it('a process that exits without finish() finishes the run, console output captured', async () => {
    const store = tempStore();
    expect((await exited(start(store, 'no-finish', 'nofin'))).code).toBe(0);
    expect(stateOf(store, 'nofin')).toMatchObject({ stored: 'finished', exitCode: 0 });
    expect(readFileSync(join(store, 'life', 'runs', 'nofin', 'output.log'), 'utf8')).toContain('printed by the child');
  }, 30_000);

  it('a non-zero exit code marks the run failed', async () => {
    const store = tempStore();
    expect((await exited(start(store, 'exit-code', 'code3'))).code).toBe(3);
    expect(stateOf(store, 'code3')).toMatchObject({ stored: 'failed', exitCode: 3 });
  }, 30_000);

  it('await using finishes the run, and marks it failed when the block threw', async () => {
    const store = tempStore();
    expect((await exited(start(store, 'dispose-ok', 'disp1'))).code).toBe(0);
    expect(stateOf(store, 'disp1').stored).toBe('finished');
    const failed = await exited(start(store, 'dispose-throw', 'disp2'));
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/boom inside the block/);
    expect(stateOf(store, 'disp2').stored).toBe('failed');
  }, 30_000);

  it('resume continues the step counter of a crashed run', async () => {
    const store = tempStore();
    await signalAt(store, 'killme', 'res1', 'FLUSHED', 'SIGKILL');
    const before = readRows(join(store, 'life', 'runs', 'res1', 'history.jsonl')).length;
    expect((await exited(start(store, 'resume', 'res1'))).code).toBe(0);
    const rows = readRows(join(store, 'life', 'runs', 'res1', 'history.jsonl'));
    expect(rows.length).toBe(before + 2);
    expect(rows.at(-2)?._step).toBe(before);
    expect(rows.at(-1)?.loss).toBe(before + 1);
    const doc = readJsonFile(join(store, 'life', 'runs', 'res1', 'run.json'));
    expect(doc).toMatchObject({ state: 'finished', resumeCount: 1 });
  }, 30_000);
});
