import { createServer } from 'node:net';

/** `port` when it is free on `host`, else the next free one (up to 100 further). */
export async function findFreePort(port: number, host: string): Promise<number> {
  for (let candidate = port; candidate < port + 100; candidate++) {
    if (await isFree(candidate, host)) return candidate;
  }
  throw new Error(`no free port between ${port} and ${port + 99} on ${host}`);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => done(true)));
  });
}
