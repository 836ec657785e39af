// A training process for the read-API tests. argv: <store> <project> <id>
// Logs 50 rows, flushes, prints FLUSHED, then keeps logging until it is killed (SIGKILL: a crashed run).
import { init } from '@runlog/core';

const [store, project, id] = process.argv.slice(2);
const run = await init({
  project,
  id,
  dir: store,
  config: { lr: 0.5 },
  settings: { quiet: true, systemMetrics: false, console: false, heartbeatIntervalMs: 200, flushIntervalMs: 20 },
});
for (let i = 0; i < 50; i++) run.log({ loss: 1 / (i + 1) });
await run.flush();
process.stdout.write('FLUSHED\n');
let i = 50;
setInterval(() => run.log({ loss: 1 / (++i + 1) }), 5);
