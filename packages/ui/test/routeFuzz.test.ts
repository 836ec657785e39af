import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Artifact, init } from '@runlog/core';
import { type Dashboard, startDashboard } from '@runlog/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepImage, TEST_SETTINGS } from './buildStore.js';

// Every route of the dashboard fed bad parameters: a 500 is a bug (issue #19 item 12), bad input is a 4xx with a code.

let dir: string;
let dashboard: Dashboard;
let runId: string;
const project = 'fuzz';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runlog-ui-fuzz-'));
  const run = await init({ project, dir, name: 'fuzzed', settings: TEST_SETTINGS });
  for (let step = 0; step < 5; step++) {
    run.log({ loss: 1 / (step + 1), weights: Float32Array.from({ length: 50 }, (_, i) => i * step), note: 'x' });
  }
  run.log({ sample: stepImage(1, 'one') });
  const file = join(dir, 'data.txt');
  await writeFile(file, 'rows\n');
  const artifact = new Artifact('data', 'dataset');
  await artifact.addFile(file);
  await run.logArtifact(artifact);
  await run.finish();
  runId = run.id;
  dashboard = await startDashboard({ dir, port: 0 });
});

afterAll(async () => {
  await dashboard?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Bad values for a path segment or a query parameter (already URL-encoded where they need it). */
const BAD = [
  '..%2f',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '..',
  '%00',
  'a%00b',
  '%',
  '%E0%A4%A',
  '%ff',
  'x'.repeat(3000),
  '%E2%80%AE',
  '-1',
  '0',
  '1',
  '1e309',
  '-1e309',
  'NaN',
  '1.5',
  '9007199254740993',
  '__proto__',
  'constructor',
  '%5B%5D',
  '%7B',
  '%7B%22name%22%3A%7B%22%24bad%22%3A1%7D%7D',
  '%7B%22name%22%3A%7B%22%24regex%22%3A%22(%22%7D%7D',
  'null',
  '%20',
  'v-1',
  'v1e400',
  '',
];

/** Each route as a template: `{p}` project, `{id}` run, `{name}`/`{v}` artifact, `{rest}` a file path. */
const ROUTES = [
  '/api/projects',
  '/api/projects/{p}/runs?filters={q}&order={q}',
  '/api/runs/{p}/{id}',
  '/api/runs/{p}/{id}/keys?stream={q}',
  '/api/runs/{p}/{id}/media?key={q}',
  '/api/runs/{p}/{id}/histograms?key=weights&maxSteps={q}',
  '/api/runs/{p}/{id}/histograms?key={q}',
  '/api/runs/{p}/{id}/output?from={q}',
  '/api/runs/{p}/{id}/files',
  '/api/runs/{p}/{id}/alerts',
  '/api/runs/{p}/{id}/artifacts',
  '/files/{p}/{id}/{rest}',
  '/api/projects/{p}/artifacts',
  '/api/projects/{p}/artifacts/{name}',
  '/api/projects/{p}/artifacts/{name}/{v}',
  '/api/projects/{p}/lineage',
  '/api/projects/{p}/sweeps',
  '/api/projects/{p}/sweeps/{name}',
  '/api/series?runs={runs}&key={q}&stream={q}&x={q}&xmin={q}&xmax={q}&after={q}&buckets={q}',
  '/api/series?runs={runs}&key=loss&buckets={q}',
  '/api/series?runs={runs}&key=loss&xmin={q}&xmax=-1e300',
  '/api/keys?runs={runs}&stream={q}',
  '/api/live?runs={runs}',
  '/assets/{rest}',
  '/{rest}',
];

const GOOD: Record<string, () => string> = {
  p: () => project,
  id: () => runId,
  name: () => 'data',
  v: () => 'v0',
  rest: () => 'media/x.png',
  q: () => 'loss',
  runs: () => `${project}/${runId}`,
};

/** The route with one slot given a bad value and every other slot a good one. */
function variants(template: string): string[] {
  const slots = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m.index);
  const urls: string[] = [];
  slots.forEach((badAt) => {
    for (const bad of BAD) {
      urls.push(template.replace(/\{(\w+)\}/g, (_, name: string, at: number) => (at === badAt ? bad : GOOD[name]())));
    }
  });
  if (!slots.length) urls.push(template);
  return urls;
}

async function statusOf(url: string, init?: RequestInit): Promise<{ status: number; body: string }> {
  const response = await fetch(new URL(url, dashboard.url), init);
  const body = response.headers.get('content-type')?.startsWith('text/event-stream') ? '' : await response.text();
  if (!body) await response.body?.cancel();
  return { status: response.status, body };
}

describe('every dashboard route given bad parameters', () => {
  it('answers 4xx with an error code, never 5xx', { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (const template of ROUTES) {
      for (const url of variants(template)) {
        const { status, body } = await statusOf(url);
        if (status >= 500) failures.push(`${status} GET ${url.slice(0, 120)} ${body.slice(0, 160)}`);
        else if (status >= 400 && !/"code":"[A-Z_0-9]+"/.test(body)) failures.push(`${status} no code: GET ${url}`);
      }
    }
    // Changing routes: a bad run or body is 4xx too.
    const action = { 'x-runlog-action': '1' };
    for (const bad of BAD) {
      for (const [url, init] of [
        [`/api/runs/${project}/${bad}`, { method: 'PATCH', headers: action, body: '{"notes":"x"}' }],
        [`/api/runs/${project}/${runId}`, { method: 'PATCH', headers: action, body: decodeURIComponent(safe(bad)) }],
        [`/api/runs/${bad}/${runId}?confirm=${bad}`, { method: 'DELETE', headers: action }],
        [`/api/runs/${project}/nosuch?confirm=nosuch`, { method: 'DELETE', headers: action }],
      ] as const) {
        const { status, body } = await statusOf(url, init);
        if (status >= 500) failures.push(`${status} ${init.method} ${url.slice(0, 120)} ${body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers an artifact name with "../" 400 and a histogram maxSteps of 1 with one step', async () => {
    const traversal = await statusOf(`/api/projects/${project}/artifacts/..%2f`);
    expect(traversal.status).toBe(400);
    expect(JSON.parse(traversal.body).error.code).toBe('ARTIFACT_INVALID');
    const one = await statusOf(`/api/runs/${project}/${runId}/histograms?key=weights&maxSteps=1`);
    expect(one.status).toBe(200);
    expect(JSON.parse(one.body).steps).toEqual([4]);
    expect((await statusOf(`/api/runs/${project}/${runId}/histograms?key=weights&maxSteps=0`)).status).toBe(400);
  });
});

/** A bad value usable as a request body (an undecodable escape kept as text). */
function safe(value: string): string {
  try {
    decodeURIComponent(value);
    return value;
  } catch {
    return encodeURIComponent(value);
  }
}
