import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RunlogError } from '../errors/runlogError.js';
import { refused, type SyncTransport } from '../sync/syncTransport.js';

/** How long a lease lives on the server unless renewed; the syncer renews it every third of that. */
export const LEASE_TTL_MS = 30_000;

/** A writer id that says who writes (for the refusal a second writer gets) and is unique per run session. */
export function newWriterId(): string {
  return `${hostname()
    .replace(/[^\x21-\x7e]/g, '?')
    .slice(0, 100)} pid ${process.pid} ${randomBytes(4).toString('hex')}`;
}

/**
 * This process's lease on a run (docs/PROTOCOL.md, "Leases"): taken before the first write, renewed while the run
 * streams, released at the end. A renewal the server refuses because another writer took the run (after this
 * lease expired) is final: RUN_LEASED.
 */
export class RunLease {
  private renewedAt = 0;

  constructor(
    private readonly transport: SyncTransport,
    private readonly path: string,
    readonly writer: string,
    readonly ttlMs = LEASE_TTL_MS,
  ) {}

  /** True once the lease was renewed less than a third of its life ago. */
  get fresh(): boolean {
    return Date.now() - this.renewedAt < this.ttlMs / 3;
  }

  /** True while the lease is surely still ours on the server's clock (a margin of a third for clock drift). */
  get held(): boolean {
    return Date.now() - this.renewedAt < (this.ttlMs * 2) / 3;
  }

  /** Takes or renews the lease; RUN_LEASED when another writer holds the run. */
  async renew(): Promise<void> {
    const startedAt = Date.now();
    const answer = await this.transport.json('POST', `${this.path}/lease`, { writer: this.writer, ttlMs: this.ttlMs });
    if (answer.status === 409) {
      const error = answer.body.error as { message?: string } | undefined;
      throw new RunlogError('RUN_LEASED', error?.message ?? 'the run is being written by another process');
    }
    if (answer.status !== 200) throw refused('taking the run lease', answer);
    this.renewedAt = startedAt;
  }

  /** The server refused a write for another writer's lease: the next send renews first (or learns it lost). */
  forget(): void {
    this.renewedAt = 0;
  }

  /** Ends the lease (the run is complete on the server); failures are left to the lease's expiry. */
  async release(): Promise<void> {
    this.renewedAt = 0;
    await this.transport.json('DELETE', `${this.path}/lease`, { writer: this.writer }).catch(() => undefined);
  }
}
