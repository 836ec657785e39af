import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunlogError } from '@runlog/core';
import { describe, expect, it } from 'vitest';
import { quietInit, readJsonFile, readRows, tempStore } from './helpers.js';

describe('summary and defineMetric', () => {
  it('keeps the last value by default and each aggregate incrementally', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('lossMin', { summary: 'min' });
    run.defineMetric('lossMax', { summary: 'max' });
    run.defineMetric('lossMean', { summary: 'mean' });
    run.defineMetric('lossFirst', { summary: 'first' });
    run.defineMetric('lossNone', { summary: 'none' });
    run.defineMetric('accBest', { summary: 'best', goal: 'maximize' });
    const values = [0.9, 0.3, 0.5, 0.7];
    for (const v of values) {
      run.log({ last: v, lossMin: v, lossMax: v, lossMean: v, lossFirst: v, lossNone: v, accBest: v });
    }
    expect(run.summary.get('last')).toBe(0.7);
    expect(run.summary.get('lossMin')).toBe(0.3);
    expect(run.summary.get('lossMax')).toBe(0.9);
    expect(run.summary.get('lossMean')).toBeCloseTo(0.6, 12);
    expect(run.summary.get('lossFirst')).toBe(0.9);
    expect(run.summary.get('lossNone')).toBeUndefined();
    expect(run.summary.get('accBest')).toBe(0.9);
    await run.finish();
    const summary = readJsonFile(join(run.dir, 'summary.json'));
    expect(summary).toMatchObject({ last: 0.7, lossMin: 0.3, lossMax: 0.9, lossFirst: 0.9, accBest: 0.9 });
    expect('lossNone' in summary).toBe(false);
  });

  it('matches glob names, exact names winning over globs', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('val/*', { summary: 'min' });
    run.defineMetric('val/acc', { summary: 'max' });
    run.log({ 'val/loss': 0.5, 'val/acc': 0.5, 'train/loss': 0.5 });
    run.log({ 'val/loss': 0.2, 'val/acc': 0.8, 'train/loss': 0.9 });
    run.log({ 'val/loss': 0.4, 'val/acc': 0.6, 'train/loss': 0.1 });
    expect(run.summary.get('val/loss')).toBe(0.2);
    expect(run.summary.get('val/acc')).toBe(0.8);
    expect(run.summary.get('train/loss')).toBe(0.1);
    await run.finish();
  });

  it('a manual summary value wins over the automatic one', async () => {
    const run = await quietInit(tempStore());
    const events: Array<[string, unknown]> = [];
    run.on('summary', (k, v) => events.push([k, v]));
    run.log({ loss: 1 });
    run.summary.set('loss', 0.123);
    run.log({ loss: 2 });
    run.summary.update({ best_epoch: 3 });
    expect(run.summary.get('loss')).toBe(0.123);
    await run.finish();
    expect(readJsonFile(join(run.dir, 'summary.json'))).toMatchObject({ loss: 0.123, best_epoch: 3 });
    expect(events).toEqual([
      ['loss', 0.123],
      ['best_epoch', 3],
    ]);
  });

  it('stepSync inserts the step metric into rows that lack it', async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('val/*', { stepMetric: 'epoch' });
    run.log({ epoch: 1 });
    run.log({ 'val/loss': 0.5 });
    run.log({ 'val/loss': 0.4 }, { commit: false });
    run.log({ other: 1 });
    await run.finish();
    const rows = readRows(join(run.dir, 'history.jsonl'));
    expect(rows[1]).toMatchObject({ 'val/loss': 0.5, epoch: 1 });
    expect(rows[2]).toMatchObject({ 'val/loss': 0.4, epoch: 1, other: 1 });
    const metrics = readJsonFile(join(run.dir, 'metrics.json'));
    expect(metrics.definitions).toEqual([{ name: 'val/*', stepMetric: 'epoch', stepSync: true }]);
  });

  it("stepSync adds a step metric shared by two keys once, after the row's own keys", async () => {
    const run = await quietInit(tempStore());
    run.defineMetric('val/*', { stepMetric: 'epoch' });
    run.log({ epoch: 3 });
    run.log({ 'val/loss': 0.5, 'val/acc': 0.9 });
    run.log({ 'val/loss': 0.4, 'val/acc': 0.8 }, { commit: false });
    run.log({ other: 1 });
    await run.finish();
    const lines = readFileSync(join(run.dir, 'history.jsonl'), 'utf8').split('\n');
    expect(lines[1]).toMatch(/^\{"_step":1,"val\/loss":0\.5,"val\/acc":0\.9,"epoch":3,"_runtime":/);
    // A pending row gets its stepSync values when it is committed, after all of its own keys.
    expect(lines[2]).toMatch(/^\{"_step":2,"val\/loss":0\.4,"val\/acc":0\.8,"other":1,"epoch":3,"_runtime":/);
  });

  it('rejects bad definitions with typed errors', async () => {
    const run = await quietInit(tempStore());
    expect(() => run.defineMetric('', {})).toThrow(RunlogError);
    expect(() => run.defineMetric('x', { summary: 'median' as never })).toThrow(/summary must be one of/);
    expect(() => run.defineMetric('x', { summary: 'best' })).toThrow(/goal/);
    expect(() => run.defineMetric('x', { goal: 'up' as never })).toThrow(/goal must be/);
    await run.finish();
  });
});

describe('config (t9k: hparams)', () => {
  it('stores config in run.json and refuses silent changes', async () => {
    const run = await quietInit(tempStore(), { config: { lr: 0.1, layers: [64, 32] } });
    run.config.update({ batch: 32 });
    run.config.update({ lr: 0.1 }); // same value: fine
    expect(() => run.config.update({ lr: 0.2 })).toThrow(expect.objectContaining({ code: 'CONFIG_LOCKED' }));
    run.config.update({ lr: 0.2 }, { allowValChange: true });
    run.config.update({ optimizer: { name: 'adam', beta: 0.9 } });
    expect(run.config.get('optimizer.name')).toBe('adam');
    expect(run.hparams).toBe(run.config);
    await run.finish();
    const doc = readJsonFile(join(run.dir, 'run.json'));
    expect(doc.config).toEqual({ lr: 0.2, layers: [64, 32], batch: 32, optimizer: { name: 'adam', beta: 0.9 } });
  });

  it('a rejected update changes nothing', async () => {
    const run = await quietInit(tempStore(), { config: { a: 1 } });
    expect(() => run.config.update({ b: 2, a: 3 })).toThrow();
    expect(() => run.config.update({ c: () => 1 })).toThrow();
    expect(run.config.toJSON()).toEqual({ a: 1 });
    await run.finish();
  });
});

describe('alerts', () => {
  it('records alerts, emits them and suppresses repeats within the wait', async () => {
    const run = await quietInit(tempStore());
    const seen: string[] = [];
    run.on('alert', (a) => seen.push(a.title));
    expect(run.alert({ title: 'NaN loss', text: 'loss became NaN', level: 'ERROR' })).toBe(true);
    expect(run.alert({ title: 'NaN loss', text: 'again' })).toBe(false);
    expect(run.alert({ title: 'slow', text: 'x', waitDurationMs: 0 })).toBe(true);
    expect(run.alert({ title: 'slow', text: 'y', waitDurationMs: 0 })).toBe(true);
    expect(() => run.alert({ title: 'x', text: 'y', level: 'LOUD' as never })).toThrow(/level/);
    await run.finish();
    const alerts = readRows(join(run.dir, 'alerts.jsonl'));
    expect(alerts.map((a) => [a.title, a.level])).toEqual([
      ['NaN loss', 'ERROR'],
      ['slow', 'INFO'],
      ['slow', 'INFO'],
    ]);
    expect(seen).toEqual(['NaN loss', 'slow', 'slow']);
  });
});
