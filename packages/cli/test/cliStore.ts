// A store for the CLI tests, made by the real engine; the crashed run is a real process killed with SIGKILL.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '@runlog/core';
import { startLiveRun } from './runlog.js';

const quiet = { quiet: true, console: false, systemMetrics: false } as const;

export interface CliStore {
  dir: string;
  ids: { alpha: string; beta: string; crashed: string; producer: string };
}

export async function makeCliStore(): Promise<CliStore> {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-cli-'));
  const alpha = await init({
    dir,
    project: 'vision',
    name: 'alpha',
    config: { lr: 0.1, model: { layers: 3 } },
    tags: ['baseline'],
    settings: quiet,
  });
  for (let i = 0; i < 500; i++) alpha.log({ loss: 1 / (i + 1), acc: i / 500, ...(i === 3 ? { odd: Number.NaN } : {}) });
  await alpha.finish();
  const beta = await init({ dir, project: 'vision', name: 'beta', config: { lr: 0.01 }, settings: quiet });
  for (let i = 0; i < 20; i++) beta.log({ loss: 2 / (i + 1), acc: i / 40 });
  await beta.finish(2);

  const crashed = await startLiveRun(dir, 'crash01', 'forever');
  await new Promise((r) => setTimeout(r, 300));
  const exited = new Promise((r) => crashed.on('exit', r));
  crashed.kill('SIGKILL');
  await exited;

  const data = join(`${dir}-data`);
  mkdirSync(data, { recursive: true });
  writeFileSync(join(data, 'train.csv'), 'x,y\n1,2\n');
  writeFileSync(join(data, 'labels.txt'), 'a\nb\n');
  const producer = await init({ dir, project: 'vision', name: 'producer', settings: quiet });
  await producer.logArtifact(data, { name: 'digits', type: 'dataset', aliases: ['best'] });
  await producer.finish();

  const other = await init({ dir, project: 'nlp', name: 'gamma', settings: quiet });
  other.log({ bleu: 30 });
  await other.finish();
  return { dir, ids: { alpha: alpha.id, beta: beta.id, crashed: 'crash01', producer: producer.id } };
}
