import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RunlogError } from '../errors/runlogError.js';
import { isProcessAlive } from '../run/liveness.js';
import { refused, type SyncTransport } from '../sync/syncTransport.js';

/** How long a lease lives on the server unless renewed; the syncer renews it every third of that. */
export const LEASE_TTL_MS = 30_000;

/** This host's name as writer ids carry it (printable ASCII). */
function writerHost(): string {
  return hostname()
    .replace(/[^\x21-\x7e]/g, '?')
    .slice(0, 100);
}

/** A writer id that says who writes (for the refusal a second writer gets) and is unique per run session. */
export function newWriterId(): string {
  return `${writerHost()} pid ${process.pid} ${randomBytes(4).toString('hex')}`;
}

/**
 * `holder` when it is the writer id of a process of this host that is no longer alive (killed: it could not
 * release its lease), else undefined. The rule of the local run folder's lock: a pid is checked on its own host.
 */
export function deadWriterOnThisHost(holder: unknown): string | undefined {
  if (typeof holder !== 'string') return undefined;
  const match = /^(.*) pid (\d+) [0-9a-f]+$/.exec(holder);
  if (!match || match[1] !== writerHost()) return undefined;
  const pid = Number(match[2]);
  return pid !== process.pid && !isProcessAlive(pid) ? holder : undefined;
}

/**
 * This process's lease on a run (docs/PROTOCOL.md, "Leases"): taken before the first write, renewed while the run
 * streams, released at the end. A renewal the server refuses because another writer took the run (after this
 * lease expired) is final: RUN_LEASED.
 */
export class RunLease {
  private renewedAt = 0;
  /** The dead writer of this host whose lease this one took over, if it did. */
  tookOverFrom: string | undefined;

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

  /**
   * Takes or renews the lease; RUN_LEASED when another writer holds the run. A lease held by a process of this
   * host that died is taken over at once (`tookOverFrom`), not after its ttl: a training restarted after a kill
   * resumes its run without waiting.
   */
  async renew(): Promise<void> {
    const startedAt = Date.now();
    const ask = (replaces?: string) =>
      this.transport.json('POST', `${this.path}/lease`, { writer: this.writer, ttlMs: this.ttlMs, replaces });
    let answer = await ask();
    const gone = answer.status === 409 ? deadWriterOnThisHost(refusalOf(answer)?.holder) : undefined;
    if (gone !== undefined) {
      answer = await ask(gone);
      if (answer.status === 200) this.tookOverFrom = gone;
    }
    if (answer.status === 409) {
      const message = refusalOf(answer)?.message;
      throw new RunlogError(
        'RUN_LEASED',
        typeof message === 'string' ? message : 'the run is being written by another process',
      );
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

/** The error object of a refusal's JSON body. */
function refusalOf(answer: { body: Record<string, unknown> }): Record<string, unknown> | undefined {
  const error = answer.body.error;
  return error !== null && typeof error === 'object' ? (error as Record<string, unknown>) : undefined;
}
