import { readFile } from 'node:fs/promises';

/**
 * A request to stop a run early (a sweep's early termination, a cancelled sweep): `run.stopRequested`. It comes
 * from `run.requestStop()` in the process, or from the run folder's stop-request.json written by another process,
 * which the run reads on its flush timer (never on the log() path). Training loops and the tfjs callbacks end
 * their loop when they see it.
 */
export class StopRequest {
  private reason: string | undefined;
  private reading = false;

  constructor(private readonly file: string) {}

  get requested(): boolean {
    return this.reason !== undefined;
  }

  request(reason: string): void {
    this.reason ??= reason;
  }

  /** One read of a small file that usually does not exist; a damaged file still counts as a request. */
  async poll(): Promise<void> {
    if (this.reason !== undefined || this.reading) return;
    this.reading = true;
    try {
      const text = await readFile(this.file, 'utf8');
      let reason = 'stop requested';
      try {
        const parsed = JSON.parse(text) as { reason?: unknown };
        if (typeof parsed.reason === 'string') reason = parsed.reason;
      } catch {
        // written by a process that died mid-write: the request stands
      }
      this.request(reason);
    } catch {
      // no request yet
    } finally {
      this.reading = false;
    }
  }
}
