// A whole process that imports core, inits a run, logs one row and finishes, against a process that only
// imports core. Target (issue 2): at most 1.5x. (wandb takes seconds for the same.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interleave, printComparison, writeResults } from './lib/interleave.js';

const here = dirname(fileURLToPath(import.meta.url));
const store = mkdtempSync(join(tmpdir(), 'runlog-bench-process-'));

function timeProcess(script: string): number {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, [join(here, 'fixtures', script), store], { stdio: 'inherit', cwd: here });
  if (result.status !== 0) throw new Error(`${script} exited with ${result.status}`);
  return (performance.now() - t0) / 1000;
}

const comparison = await interleave(
  'process: import core + init + log one row + finish, vs a process that only imports core',
  [
    { name: 'import + init + log + finish', run: () => timeProcess('oneRow.mjs') },
    { name: 'import only', run: () => timeProcess('importOnly.mjs') },
  ],
  { repeats: 15, unit: 'seconds' },
);
printComparison(comparison);
writeResults('core-process', comparison);
rmSync(store, { recursive: true, force: true });
