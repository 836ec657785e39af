// Child process for the "file changes while it is hashed" test: keeps modifying a file until killed.
// argv: <path> <mode: append|overwrite>
import { openSync, writeSync } from 'node:fs';

const [path, mode] = process.argv.slice(2);
const fd = openSync(path, mode === 'append' ? 'a' : 'r+');
const chunk = Buffer.alloc(4096, 7);
let i = 0;
const tick = () => {
  if (mode === 'append') writeSync(fd, chunk);
  else writeSync(fd, chunk, 0, chunk.length, (i * 65536) % (32 << 20));
  if (i++ === 0) process.stdout.write('ready\n');
  setTimeout(tick, 1);
};
tick();
setTimeout(() => process.exit(0), 30_000);
