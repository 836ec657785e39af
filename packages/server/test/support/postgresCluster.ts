import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN = '/usr/lib/postgresql/15/bin';

/** Why a throwaway PostgreSQL 15 cluster cannot be started here, or undefined when it can. */
export function postgresUnavailable(): string | undefined {
  if (!existsSync(join(BIN, 'initdb'))) return `PostgreSQL 15 is not installed (${BIN}): apt-get install postgresql-15`;
  if (spawnSync('id', ['postgres']).status !== 0) return 'there is no postgres user to run PostgreSQL as';
  if (process.getuid?.() !== 0) return 'starting a cluster as the postgres user needs root';
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface PostgresCluster {
  url: string;
  port: number;
  /** pg_ctl stop (fast) then start on the same port: connections drop, data stays. */
  restart(downMs?: number): Promise<void>;
  stop(): void;
}

function asPostgres(args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe' });
}

const asPostgresAsync = promisify(execFile);

/**
 * A throwaway PostgreSQL 15 cluster: initdb as the postgres user into a temp folder, started with pg_ctl on a
 * free loopback port (trust auth, no fsync: test data only). `stop()` removes it.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const root = mkdtempSync(join(tmpdir(), 'runlog-pg-'));
  chmodSync(root, 0o777);
  const data = join(root, 'data');
  const port = await freePort();
  asPostgres([join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () =>
    asPostgres([join(BIN, 'pg_ctl'), '-D', data, '-l', join(root, 'log'), '-w', '-o', options, 'start']);
  const stopCluster = (mode: string) => asPostgres([join(BIN, 'pg_ctl'), '-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restart(downMs = 0) {
      // Asynchronous: servers in this process keep answering (503) while PostgreSQL is down.
      const ctl = (action: string[]) =>
        asPostgresAsync('runuser', ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), '-D', data, ...action]);
      await ctl(['-m', 'fast', '-w', 'stop']);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await ctl(['-l', join(root, 'log'), '-w', '-o', options, 'start']);
    },
    stop() {
      try {
        stopCluster('immediate');
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
