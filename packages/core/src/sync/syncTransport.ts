// Browser-safe: no `node:` imports (a browser logger reuses the protocol client).
import { RunlogError } from '../errors/runlogError.js';

export interface RetryOptions {
  /** First pause after a failure (default 250 ms); it doubles up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  /** Longest pause between two attempts (default 10 s). */
  maxDelayMs?: number;
  /** Give up when no request succeeded for this long (default 10 minutes). */
  giveUpAfterMs?: number;
  /** Longest Retry-After honoured (default 120 s). */
  maxRetryAfterMs?: number;
}

export interface SyncTransportOptions {
  /** Server URLs (`http://host:port`), tried in turn: a network error or a 5xx moves to the next one. */
  hosts: string[];
  apiKey?: string;
  retry?: RetryOptions;
  /** Abort everything (Ctrl-C). */
  signal?: AbortSignal;
  /** One request's time limit (default 5 minutes). */
  requestTimeoutMs?: number;
  /** Told about every retry (for the progress line and the report). */
  onRetry?: (event: RetryEvent) => void;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

export interface RetryEvent {
  host: string;
  /** `network`, an HTTP status, or `429`. */
  reason: string;
  waitMs: number;
}

export interface SyncAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface SyncRequest {
  method: string;
  /** A path on the server (`/api/v1/...`), or an absolute URL (a presigned storage URL: sent without the token). */
  url: string;
  body?: Uint8Array | string;
  headers?: Record<string, string>;
}

/** Statuses that mean "this server cannot answer now": retried, on the next host when there are several. */
const TRANSIENT = new Set([502, 503, 504]);

/**
 * The protocol's HTTP client (docs/PROTOCOL.md): adds the token, retries 429 (after Retry-After), 502/503/504 and
 * network errors with exponential backoff and jitter, and fails over between hosts. Every other answer is handed
 * back as is: the caller decides what a 4xx means. Counts its retries for the sync report.
 */
export class SyncTransport {
  retries = 0;
  private current = 0;
  private readonly hosts: string[];
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: SyncTransportOptions) {
    if (options.hosts.length === 0) throw new RunlogError('INVALID_ARGUMENT', 'sync needs at least one --host URL');
    this.hosts = options.hosts.map((h) => normalizeHost(h));
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** The host requests go to now (after any fail-over). */
  get host(): string {
    return this.hosts[this.current];
  }

  /** A JSON request; the body is serialised here. */
  json(method: string, url: string, value?: unknown): Promise<SyncAnswer> {
    return this.send({
      method,
      url,
      body: value === undefined ? undefined : JSON.stringify(value),
      headers: value === undefined ? {} : { 'content-type': 'application/json' },
    });
  }

  async send(request: SyncRequest): Promise<SyncAnswer> {
    const retry = this.options.retry ?? {};
    const base = retry.baseDelayMs ?? 250;
    const maxDelay = retry.maxDelayMs ?? 10_000;
    const giveUpAt = Date.now() + (retry.giveUpAfterMs ?? 600_000);
    let failures = 0;
    for (;;) {
      this.options.signal?.throwIfAborted();
      const host = this.host;
      const absolute = /^https?:\/\//i.test(request.url);
      let reason: string;
      let waitMs: number | undefined;
      try {
        const answer = await this.attempt(absolute ? request.url : host + request.url, request, !absolute);
        if (answer.status === 429) {
          reason = '429';
          const after = Number(answer.headers.get('retry-after'));
          waitMs = Math.min(
            retry.maxRetryAfterMs ?? 120_000,
            Number.isFinite(after) && after >= 0 ? after * 1000 : base,
          );
        } else if (TRANSIENT.has(answer.status)) {
          reason = String(answer.status);
          if (!absolute) this.failOver();
        } else {
          return answer;
        }
      } catch (error) {
        if (this.options.signal?.aborted) throw this.options.signal.reason ?? error;
        reason = `network (${describe(error)})`;
        if (!absolute) this.failOver();
      }
      failures++;
      if (Date.now() > giveUpAt) {
        throw new RunlogError(
          'SYNC_UNAVAILABLE',
          `${request.method} ${request.url.split('?')[0]}: no answer from ${absolute ? 'storage' : this.hosts.join(', ')} after ${failures} attempts (last: ${reason})`,
        );
      }
      const backoff = Math.min(maxDelay, base * 2 ** Math.min(failures - 1, 16));
      const pause = waitMs ?? backoff / 2 + Math.random() * (backoff / 2);
      this.retries++;
      this.options.onRetry?.({ host: absolute ? 'storage' : host, reason, waitMs: pause });
      await sleep(pause, this.options.signal);
    }
  }

  private async attempt(url: string, request: SyncRequest, withToken: boolean): Promise<SyncAnswer> {
    const headers: Record<string, string> = { ...request.headers };
    if (withToken && this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    const timeout = AbortSignal.timeout(this.options.requestTimeoutMs ?? 300_000);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    const response = await this.fetchImpl(url, {
      method: request.method,
      headers,
      body: request.body as Parameters<typeof fetch>[1] extends infer I
        ? I extends { body?: infer B }
          ? B
          : never
        : never,
      signal,
    });
    const text = await response.text();
    let body: Record<string, unknown> = {};
    if (text.length > 0) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object') body = parsed as Record<string, unknown>;
      } catch {
        body = { text: text.slice(0, 500) }; // storage answers XML; keep a little for messages
      }
    }
    return { status: response.status, headers: response.headers, body };
  }

  private failOver(): void {
    this.current = (this.current + 1) % this.hosts.length;
  }
}

/** The error a refused request becomes: the server's code and message, at the call that made the request. */
export function refused(what: string, answer: SyncAnswer): RunlogError {
  const error = answer.body.error as { code?: string; message?: string } | undefined;
  return new RunlogError(
    'SYNC_REFUSED',
    `${what}: the server answered ${answer.status} ${error?.code ?? ''} ${error?.message ?? String(answer.body.text ?? '')}`.trim(),
  );
}

function normalizeHost(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/i.test(trimmed)) {
    throw new RunlogError('INVALID_ARGUMENT', `--host ${JSON.stringify(host)} is not an http(s):// URL`);
  }
  return trimmed;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as Error).name ?? 'error';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', aborted);
      resolve();
    }
    function aborted() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', aborted, { once: true });
  });
}
