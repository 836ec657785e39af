// Runs vitest once and closes with the plain line CI reads: "N passed, N failed".
// The counts come from vitest's JSON reporter (test-results/vitest.json), not from its console summary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const resultsFile = 'test-results/vitest.json';
rmSync(resultsFile, { force: true });
// The browser tests need Debian's chromium; install it when missing so `pnpm test` works on a fresh machine.
if (process.platform === 'linux' && !existsSync('/usr/bin/chromium')) {
  spawnSync('bash', ['scripts/ensure-chromium.sh'], { stdio: 'inherit' });
}
const vitest = spawnSync('pnpm', ['exec', 'vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(resultsFile)) {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  // A suite that failed to load has no tests in it: count it as a failure so it cannot pass silently.
  failed += report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
} else {
  failed = 1;
  console.error(`no ${resultsFile} was written: vitest did not run`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(vitest.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
