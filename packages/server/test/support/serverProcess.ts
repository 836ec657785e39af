// A runlog server in its own process, for tests that SIGKILL it: options as JSON in argv[2]; prints "READY <url>".
import { startServer } from '../../src/index.js';

const server = await startServer(JSON.parse(process.argv[2] ?? '{}'));
process.stdout.write(`READY ${server.url}\n`);
