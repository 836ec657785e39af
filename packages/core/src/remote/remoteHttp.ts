import { RunlogError } from '../errors/runlogError.js';
import { decodeJson, encodeJson } from '../values/jsonCodec.js';
import { type ServerErrorBody, toRunlogError } from './remoteErrors.js';

/** How a remote store is reached. */
export interface RemoteOptions {
  /**
   * The server's URL (`http://host:8080`), or several replicas of one deployment: a request that cannot reach
   * one (refused, reset, 502/503/504) is sent to the next.
   */
  host: string | readonly string[];
  /** The API token (`Authorization: Bearer …`); default $RUNLOG_API_KEY. */
  apiKey?: string;
  /** Gives up on a request after this long (default 60 s). */
  timeoutMs?: number;
  /** Attempts per request across the replicas before UNAVAILABLE (default 3 per replica). */
  attempts?: number;
  /** The fetch to send requests with (default the global one); the server's own dashboard passes an in-process one. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

export interface RemoteRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON through runlog's value codec. */
  body?: unknown;
  /** The seam's code for a 404 here. */
  notFound?: 'RUN_NOT_FOUND' | 'ARTIFACT_NOT_FOUND';
}

const RETRY_STATUS = new Set([502, 503, 504]);
const MAX_RETRY_AFTER_MS = 5_000;

/** A URL without its trailing slash, checked to be http(s). */
function baseUrl(host: string): string {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new RunlogError(
      'INVALID_ARGUMENT',
      `host must be a URL like http://127.0.0.1:8080, got ${JSON.stringify(host)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RunlogError('INVALID_ARGUMENT', `host must be an http or https URL, got ${JSON.stringify(host)}`);
  }
  return url.href.replace(/\/+$/, '');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP side of the remote store: one request at a time per call, with the token, retries of what is safe
 * to retry, and fail-over between replicas. The last replica that answered is tried first next time.
 */
export class RemoteHttp {
  readonly hosts: readonly string[];
  private current = 0;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly send: (url: string, init: RequestInit) => Promise<Response>;

  constructor(options: RemoteOptions) {
    const list = typeof options.host === 'string' ? options.host.split(',') : [...options.host];
    this.hosts = list
      .map((h) => h.trim())
      .filter((h) => h !== '')
      .map(baseUrl);
    if (this.hosts.length === 0) throw new RunlogError('INVALID_ARGUMENT', 'host names no server');
    this.apiKey = options.apiKey ?? (globalThis.process?.env?.RUNLOG_API_KEY || undefined);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.attempts = options.attempts ?? 3 * this.hosts.length;
    this.send = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** The replica requests go to now. */
  get host(): string {
    return this.hosts[this.current];
  }

  /** A JSON answer, decoded with runlog's value codec. */
  async json<T>(path: string, request: RemoteRequest = {}): Promise<T> {
    const response = await this.fetch(path, request);
    const text = await response.text();
    return (text === '' ? undefined : decodeJson(text)) as T;
  }

  /** The raw answer (bytes and headers) of a successful request. */
  async fetch(path: string, request: RemoteRequest = {}): Promise<Response> {
    const method = request.method ?? 'GET';
    // A request that changes something is sent again only when it cannot have arrived (connection refused).
    const idempotent = method === 'GET' || method === 'PATCH';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const body = request.body === undefined ? undefined : encodeJson(request.body);
    let lastProblem = '';
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      const url = this.host + path + queryString(request.query);
      let response: Response;
      try {
        response = await this.send(url, { method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        lastProblem = describeNetworkError(error);
        if (!idempotent && !refused(error)) break;
        this.failOver();
        await sleep(backoff(attempt, this.hosts.length));
        continue;
      }
      if (response.ok) return response;
      const answer = await errorBody(response);
      if (response.status === 429) {
        lastProblem = answer?.message ?? 'rate limited';
        const seconds = Number(response.headers.get('retry-after'));
        await sleep(Math.min(MAX_RETRY_AFTER_MS, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 500));
        continue;
      }
      if (RETRY_STATUS.has(response.status) && idempotent) {
        lastProblem = answer?.message ?? `HTTP ${response.status}`;
        this.failOver();
        await sleep(backoff(attempt, this.hosts.length));
        continue;
      }
      throw toRunlogError(
        response.status,
        answer,
        `${method} ${this.host}${path}`,
        request.notFound ?? 'RUN_NOT_FOUND',
      );
    }
    throw new RunlogError(
      'UNAVAILABLE',
      `runlog server ${this.hosts.join(', ')} cannot be reached (${method} ${path}): ${lastProblem}`,
    );
  }

  private failOver(): void {
    if (this.hosts.length > 1) this.current = (this.current + 1) % this.hosts.length;
  }
}

/** Waits a little once every replica was tried, more each round. */
function backoff(attempt: number, hosts: number): number {
  const round = Math.floor(attempt / hosts);
  return (attempt + 1) % hosts === 0 ? Math.min(2_000, 100 * 2 ** round) : 0;
}

function queryString(query: RemoteRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function errorBody(response: Response): Promise<ServerErrorBody | undefined> {
  try {
    const parsed = (await response.json()) as { error?: ServerErrorBody };
    return parsed?.error;
  } catch {
    return undefined;
  }
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as { code?: string })?.code;
}

function refused(error: unknown): boolean {
  return causeCode(error) === 'ECONNREFUSED';
}

function describeNetworkError(error: unknown): string {
  const code = causeCode(error);
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return code ?? (error as Error)?.message ?? String(error);
}
