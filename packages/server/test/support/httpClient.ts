import { gzipSync } from 'node:zlib';

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A bare HTTP client for the protocol: what `runlog sync` will do, without its retries and bookkeeping. */
export class TestClient {
  constructor(
    readonly base: string,
    readonly token?: string,
  ) {}

  async request(
    method: string,
    path: string,
    body?: Buffer | string,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const response = await fetch(new URL(path, this.base), {
      method,
      body: body as BodyInit | undefined,
      headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  json(method: string, path: string, value: unknown): Promise<Answer> {
    return this.request(method, path, JSON.stringify(value), { 'content-type': 'application/json' });
  }

  /** One stream batch, gzip-compressed as clients send them. */
  batch(run: string, stream: string, offset: number, bytes: Buffer | string, final = false): Promise<Answer> {
    return this.request(
      'POST',
      `/api/v1/projects/${run.split('/')[0]}/runs/${run.split('/')[1]}/streams/${stream}?offset=${offset}${final ? '&final=1' : ''}`,
      gzipSync(bytes),
      { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' },
    );
  }

  document(run: string, name: string, seq: number, value: unknown): Promise<Answer> {
    const [project, id] = run.split('/');
    return this.json('PUT', `/api/v1/projects/${project}/runs/${id}/documents/${name}?seq=${seq}`, value);
  }
}

/** History lines `{"_step":i,...}` for steps [from, to), as the store writes them. */
export function historyLines(from: number, to: number, scalars = 5): string {
  let text = '';
  for (let step = from; step < to; step++) {
    let row = `{"_step":${step},"_runtime":${step / 100},"_timestamp":${1_795_327_200 + step / 100}`;
    for (let k = 0; k < scalars; k++) row += `,"m${k}":${Math.sin(step / (k + 1))}`;
    text += `${row}}\n`;
  }
  return text;
}
