// Sweeps on a runlog server: agents in separate processes, each with its own local store (as on two machines),
// share one sweep through a real `runlog server` (embedded PGlite).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { ServerSweepState } from '@runlog/sweeps';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEmbeddedData } from '../../server/test/support/pgliteTemplate.js';
import { assertBuilt, runRunlog, type Started, startRunlog, TRIAL, waitFor } from './agents.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-sweeps-server-'));
let server: Started;
let url = '';
let token = '';

beforeAll(async () => {
  assertBuilt();
  const data = join(dir, 'data');
  await seedEmbeddedData(data);
  const created = await runRunlog([
    'server',
    'token',
    'create',
    '--data',
    data,
    '--project',
    'multi',
    '--role',
    'write',
  ]);
  expect(created.code).toBe(0);
  token = created.output.trim().split('\n').at(-1) ?? '';
  server = startRunlog(['server', '--data', data, '--port', '0']);
  await waitFor(() => /runlog server at http:\/\/127\.0\.0\.1:\d+/.test(server.output()), 120_000);
  url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1] ?? '';
}, 180_000);

afterAll(async () => {
  server?.child.kill('SIGTERM');
  await server?.done;
  rmSync(dir, { recursive: true, force: true });
});

describe('a sweep on a runlog server', () => {
  it('grid 3 x 2 x 2 with two agent processes on separate stores: 12 trials, each combination exactly once', async () => {
    const file = join(dir, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        program: TRIAL,
        method: 'grid',
        metric: { name: 'loss' },
        parameters: { a: { values: [1, 2, 3] }, b: { values: ['x', 'y'] }, c: { values: [true, false] } },
      }),
    );
    const auth = { RUNLOG_API_KEY: token };
    const created = await runRunlog(['sweep', file, '--project', 'multi', '--host', url], auth);
    expect(created.code).toBe(0);
    const id = created.output.split('\n')[0].trim();

    const stores = [join(dir, 'machine-a'), join(dir, 'machine-b')];
    const agents = stores.map((store) =>
      startRunlog(['agent', id, '--host', url, '--dir', store], { ...auth, TRIAL_MS: '1000' }),
    );
    const exits = await Promise.all(agents.map((a) => a.done));
    expect(
      exits.map((e) => e.code),
      agents.map((a) => a.output()).join('\n'),
    ).toEqual([0, 0]);

    const state = new ServerSweepState({ host: url, apiKey: token });
    const { sweep, trials, agents: seen } = await state.snapshot(await state.resolve(id));
    expect(sweep.project).toBe('multi');
    expect(trials).toHaveLength(12);
    expect(trials.map((t) => t.gridIndex).sort((x, y) => x! - y!)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(12);
    expect(trials.every((t) => t.state === 'finished')).toBe(true);
    expect(seen.filter((a) => a.endedAt)).toHaveLength(2);
    expect(new Set(trials.map((t) => t.agentId)).size).toBe(2); // both agents took part
    // Each trial's run is in the store of the agent that ran it, with its parameters as config and its metric.
    for (const trial of trials) {
      const store = stores[[...new Set(trials.map((t) => t.agentId))].indexOf(trial.agentId)];
      const runs = await Promise.all(
        [store, ...stores.filter((s) => s !== store)].map((s) =>
          new Api({ dir: s }).run(`multi/${trial.id}`).catch(() => undefined),
        ),
      );
      const run = runs.find((r) => r !== undefined);
      expect(run?.config).toEqual(trial.params);
      expect(trial.value).toBe(trial.params.a);
    }
    // The sweep is done for a third agent too.
    const late = await runRunlog(['agent', id, '--host', url, '--dir', stores[0]], auth);
    expect(late.output).toMatch(/every one of the 12 grid points was run/);
  }, 300_000);

  it('refuses without a token, and a read-only token cannot claim (4xx with a code, nothing stored)', async () => {
    const claim = (headers: Record<string, string>) =>
      fetch(`${url}/api/v1/projects/multi/sweeps/nope/claim`, { method: 'POST', headers, body: '{}' });
    const anonymous = await claim({});
    expect(anonymous.status).toBe(401);
    const missing = await claim({ authorization: `Bearer ${token}` });
    expect(missing.status).toBe(400); // the body has no agent: checked before the sweep is looked up
    expect((await missing.json()).error.code).toBe('INVALID_ARGUMENT');
    const badConfig = await fetch(`${url}/api/v1/projects/multi/sweeps`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ config: { method: 'grid', parameters: { a: { min: 1 } } } }),
    });
    expect(badConfig.status).toBe(400);
    expect((await badConfig.json()).error.code).toBe('SWEEP_CONFIG_INVALID');
  });
});
