import { TestClient } from './httpClient.js';

/** Settings of a test run: no console capture, no system samples, quick sends. */
export const onlineSettings = {
  quiet: true,
  console: false,
  systemMetrics: false,
  syncIntervalMs: 200,
} as const;

/** What the server has of a run's history: its rows and high-water mark (GET .../sync). */
export async function serverHistory(
  url: string,
  token: string,
  project: string,
  runId: string,
): Promise<{ rows: number; hwm: number; documents: Record<string, { seq: number }> }> {
  const answer = await new TestClient(url, token).request('GET', `/api/v1/projects/${project}/runs/${runId}/sync`);
  const streams = (answer.body.streams ?? {}) as Record<string, { rows: number; hwm: number }>;
  return {
    rows: streams.history?.rows ?? 0,
    hwm: streams.history?.hwm ?? 0,
    documents: (answer.body.documents ?? {}) as Record<string, { seq: number }>,
  };
}

/** The distinct steps of a run's history on the server, read through the read API. */
export async function serverSteps(url: string, token: string, project: string, runId: string): Promise<number[]> {
  const client = new TestClient(url, token);
  const steps: number[] = [];
  let offset = 0;
  for (;;) {
    const page = await client.request(
      'GET',
      `/api/v1/projects/${project}/runs/${runId}/streams/history?offset=${offset}&maxBytes=1000000`,
    );
    for (const row of page.body.rows as { _step: number }[]) steps.push(row._step);
    const next = Number(page.body.nextOffset);
    if (next >= Number(page.body.size) || next <= offset) return steps;
    offset = next;
  }
}

/** Resolves once `check` is true (polled), or rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Logs `count` rows from `from`, yielding to the event loop every `chunk` rows (a training loop's awaits). */
export async function train(
  run: { log(data: Record<string, unknown>): void },
  from: number,
  count: number,
  chunk = 100,
): Promise<void> {
  for (let i = from; i < from + count; i++) {
    run.log({ loss: 1 / (i + 1), acc: i / 1e4, epoch: i >> 8 });
    if ((i + 1) % chunk === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
