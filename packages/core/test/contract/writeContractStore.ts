// Writes the store the store-access contract tests read, with the real engine, in a process of its own (so its
// console is captured and its system metrics sampled as in a training script). Usage: writeContractStore.ts <dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Artifact, init } from '../../src/index.js';
import { CONTRACT } from './contractFacts.js';

const dir = process.argv[2];
const settings = { quiet: true, systemMetrics: true, systemMetricsIntervalMs: 60_000, console: true, metadata: false };
const scratch = join(dir, '.scratch');
mkdirSync(scratch, { recursive: true });

const main = await init({
  dir,
  project: CONTRACT.project,
  id: CONTRACT.main,
  name: 'main run',
  config: { lr: 0.01, model: { layers: 3 } },
  tags: ['contract', 'main'],
  settings,
});
main.defineMetric('epoch/*', { stepMetric: 'epoch' });
main.defineMetric('loss', { summary: 'min' });
for (let step = 0; step < CONTRACT.rows; step++) {
  const row: Record<string, unknown> = {
    loss: 1 / (step + 1) + (step === CONTRACT.minLossStep ? -5 : 0),
    acc: step / CONTRACT.rows,
  };
  const special = CONTRACT.specials[step as keyof typeof CONTRACT.specials];
  if (special !== undefined) row.odd = special;
  if (step === CONTRACT.dateStep) row.when = new Date(CONTRACT.date);
  if (step === CONTRACT.nestedStep) row.val = { acc: 0.5, loss: 0.25 };
  if (step % 500 === 499) row['epoch/loss'] = step / 1000;
  if (step % 500 === 499) row.epoch = (step + 1) / 500;
  main.log(row);
}
console.log(CONTRACT.outputLine);
main.alert({ title: CONTRACT.alertTitle, text: 'loss went down', level: 'WARN' });
writeFileSync(join(scratch, 'notes.txt'), CONTRACT.fileText);
await main.save(join(scratch, 'notes.txt'), { basePath: scratch, policy: 'now' });
writeFileSync(join(scratch, 'train.csv'), 'x,y\n1,2\n');
const dataset = new Artifact(CONTRACT.artifact, 'dataset', { description: 'the contract data' });
await dataset.addFile(join(scratch, 'train.csv'));
await main.logArtifact(dataset, { aliases: ['best'] });
await main.finish();

const consumer = await init({ dir, project: CONTRACT.project, id: CONTRACT.consumer, name: 'consumer', settings });
await consumer.useArtifact(`${CONTRACT.artifact}:best`);
consumer.log({ loss: 0.5 });
await consumer.finish();

const failed = await init({ dir, project: CONTRACT.project, id: CONTRACT.failed, name: 'failed run', settings });
failed.log({ loss: 2 });
await failed.finish(1);

for (const id of [CONTRACT.edited, CONTRACT.deleted]) {
  const run = await init({ dir, project: CONTRACT.project, id, name: id, config: { lr: 0.5 }, settings });
  run.log({ loss: 1 });
  await run.finish();
}

const other = await init({ dir, project: CONTRACT.otherProject, id: 'lonely', name: 'lonely', settings });
other.log({ loss: 3 });
await other.finish();
