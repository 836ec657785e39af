// `pnpm bench [name-filter]`: runs every bench/*.bench.ts (built packages) one after another.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const filter = process.argv[2] ?? '';
const scripts = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n=== bench/${script}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${script}`], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
console.log(
  `\n${scripts.length - failed} benchmarks ran, ${failed} failed; figures in bench/results/*.json and bench/RESULTS.md`,
);
process.exit(failed ? 1 : 0);
