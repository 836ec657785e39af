// @runlog/sweeps: TPE suggestion latency and search quality (issue 18).
// Targets: a bayes (TPE) suggestion with 1,000 finished trials < 50 ms. Also measured: a whole claim through the
// local store (lock, read, decide, write) with 1,000 trials; the median best of 30 trials on Branin over 20 seeds
// for runlog's TPE, random search and Optuna's TPE (Debian's python3-optuna, a reference point, not a test).
// Run: pnpm --filter @runlog/sweeps... build && node --import tsx bench/sweeps.bench.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicWriteJson } from '@runlog/core/internal';
import {
  FileSweepState,
  optimize,
  randomParams,
  type SearchTrial,
  suggestTpe,
  type TrialRecord,
  validateSweepConfig,
} from '@runlog/sweeps';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';

const FINISHED = 1000;
const document = {
  method: 'bayes',
  seed: 1,
  metric: { name: 'loss', goal: 'minimize' },
  parameters: {
    lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1 },
    dropout: { min: 0.0, max: 0.5 },
    units: { min: 8, max: 512 },
    optimizer: { values: ['adam', 'sgd', 'rmsprop'] },
  },
};
const config = validateSweepConfig(document);
const finished: SearchTrial[] = Array.from({ length: FINISHED }, (_, number) => {
  const params = randomParams(config.parameters, 99, number);
  const value =
    Math.abs(Math.log10(params.lr as number) + 3) +
    (params.dropout as number) +
    (params.optimizer === 'adam' ? 0 : 0.5);
  return { number, params, status: 'finished', value };
});

// 1. One suggestion: TPE over 1,000 finished trials vs a random draw (the floor any method pays).
const SUGGESTIONS = 20;
const perSuggestion = (suggest: (n: number) => unknown) => () => {
  const start = performance.now();
  for (let i = 0; i < SUGGESTIONS; i++) suggest(FINISHED + i);
  return (performance.now() - start) / SUGGESTIONS;
};
const latency = await interleave(
  `one suggestion with ${FINISHED} finished trials (4 parameters), mean of ${SUGGESTIONS}`,
  [
    {
      name: 'TPE (bayes)',
      run: perSuggestion((n) => suggestTpe(config.parameters, 'minimize', finished, { seed: 1, trialNumber: n })),
    },
    { name: 'random draw', run: perSuggestion((n) => randomParams(config.parameters, 1, n)) },
  ],
  { unit: 'ms', repeats: 7 },
);
printComparison(latency);
// Noise-proof companion figure: the CPU time of one TPE suggestion (the machine is shared; wall time waits too).
const cpuSamples: number[] = [];
for (let r = 0; r < 7; r++) {
  const before = process.cpuUsage();
  for (let i = 0; i < SUGGESTIONS; i++)
    suggestTpe(config.parameters, 'minimize', finished, { seed: 2, trialNumber: FINISHED + i });
  const used = process.cpuUsage(before);
  cpuSamples.push((used.user + used.system) / 1000 / SUGGESTIONS);
}
const cpu = { min: Math.min(...cpuSamples), median: median(cpuSamples), samples: cpuSamples };
console.log(
  `  TPE CPU time per suggestion: best ${cpu.min.toFixed(2)} ms, median ${cpu.median.toFixed(2)} ms (target < 50 ms)`,
);

// 2. A whole claim through the local store with 1,000 trials: lock, read trials.json, decide, write it back.
const store = mkdtempSync(join(tmpdir(), 'runlog-bench-sweeps-'));
let claims: Awaited<ReturnType<typeof interleave>>;
try {
  const state = new FileSweepState(store);
  const record = await state.create('bench', config);
  const ref = { project: 'bench', id: record.id };
  const trials: TrialRecord[] = finished.map((t) => ({
    id: `t${t.number}`,
    number: t.number,
    params: t.params,
    state: 'finished',
    agentId: 'a',
    createdAt: new Date().toISOString(),
    value: t.value,
    lastValue: t.value,
    steps: 10,
  }));
  const trialsFile = join(store, 'bench', 'sweeps', record.id, 'trials.json');
  const agent = { id: 'benchagent', pid: process.pid, host: hostname(), startedAt: '', at: new Date().toISOString() };
  await state.beat(ref, agent);
  const reset = () => atomicWriteJson(trialsFile, { trials });
  claims = await interleave(
    `claim the next bayes trial through the local store with ${FINISHED} trials`,
    [
      {
        name: 'FileSweepState.claim',
        run: async () => {
          await reset();
          const start = performance.now();
          await state.claim(ref, agent);
          return performance.now() - start;
        },
      },
      {
        name: 'bare read + parse + atomic write',
        run: async () => {
          await reset();
          const start = performance.now();
          const parsed = JSON.parse(await readFile(trialsFile, 'utf8'));
          await atomicWriteJson(trialsFile, parsed);
          return performance.now() - start;
        },
      },
    ],
    { unit: 'ms', repeats: 7 },
  );
  printComparison(claims);
} finally {
  rmSync(store, { recursive: true, force: true });
}

// 3. Search quality on Branin: median best of 30 trials over 20 seeds.
const braninDocument = (method: 'bayes' | 'random', seed: number) => ({
  method,
  seed,
  metric: { name: 'y', goal: 'minimize' },
  parameters: { x1: { distribution: 'uniform', min: -5, max: 10 }, x2: { distribution: 'uniform', min: 0, max: 15 } },
});
const branin = (x1: number, x2: number) =>
  (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) +
  10;
const bestOf = async (method: 'bayes' | 'random', seed: number) => {
  const trials = await optimize(braninDocument(method, seed), (p) => branin(p.x1 as number, p.x2 as number), {
    trials: 30,
  });
  return Math.min(...trials.map((t) => t.value!));
};
const seeds = Array.from({ length: 20 }, (_, i) => 100 + i);
const quality: Record<string, { median: number; best: number[] } | { skipped: string }> = {
  'runlog TPE': { median: 0, best: await Promise.all(seeds.map((s) => bestOf('bayes', s))) },
  'runlog random': { median: 0, best: await Promise.all(seeds.map((s) => bestOf('random', s))) },
};
const python = ['/usr/bin/python3', 'python3'].find((p) => p === 'python3' || existsSync(p))!;
const optuna = spawnSync(python, [join(import.meta.dirname, 'fixtures', 'optunaBranin.py'), seeds.join(','), '30'], {
  encoding: 'utf8',
});
let optunaVersion: string | undefined;
if (optuna.status === 0) {
  const parsed = JSON.parse(optuna.stdout.trim().split('\n').at(-1)!);
  optunaVersion = parsed.optuna;
  quality[`Optuna ${parsed.optuna} TPE`] = { median: 0, best: parsed.best };
} else {
  quality['Optuna TPE'] = { skipped: 'python3-optuna is not installed (apt-get install python3-optuna)' };
}
console.log('\nBranin, 30 trials, best value per seed over 20 seeds (global minimum 0.397887; lower is better)');
for (const [name, result] of Object.entries(quality)) {
  if ('skipped' in result) {
    console.log(`  ${name.padEnd(22)} skipped: ${result.skipped}`);
    continue;
  }
  result.median = median(result.best);
  const sorted = [...result.best].sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(22)} median ${result.median.toFixed(4)}   quartiles ${sorted[4].toFixed(4)} .. ${sorted[14].toFixed(4)}`,
  );
}
console.log(
  `\n${writeResults('sweeps', { latency, tpeCpuMs: cpu, claims, branin: quality, optuna: optunaVersion ?? null })}`,
);
