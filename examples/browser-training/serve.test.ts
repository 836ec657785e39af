import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api } from '@runlog/core';
import { afterAll, expect, it } from 'vitest';
import { launchBrowser } from '../../packages/ui/test/browser.js';
import { type RunningExample, start } from './serve.js';

const dir = mkdtempSync(join(tmpdir(), 'runlog-browser-example-'));
let example: RunningExample | undefined;
afterAll(async () => {
  await example?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves the page, its bundle and a config naming a server that allows the page', async () => {
  example = await start({ port: 0, serverPort: 0, data: join(dir, 'server') });
  expect(await (await fetch(`${example.pageUrl}/`)).text()).toContain('>Train</button>');
  const script = await (await fetch(`${example.pageUrl}/page.js`)).text();
  expect(script).toContain('QUOTA_EXCEEDED'); // @runlog/browser is in the bundle
  const config = await (await fetch(`${example.pageUrl}/config.json`)).json();
  expect(config.host).toBe(example.server.url);
  const preflight = await fetch(`${config.host}/api/v1/blobs/missing`, {
    method: 'OPTIONS',
    headers: {
      origin: example.pageUrl,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(example.pageUrl);
}, 180_000);

it('trains in Chromium when Train is pressed, and the run with its images and checkpoints is on the server', async () => {
  if (!example) throw new Error('the first test starts the example');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${example.pageUrl}/`);
    await page.click('button');
    await page.waitForFunction(
      () => document.querySelector('#status')?.textContent?.includes('is on the server'),
      undefined,
      {
        timeout: 120_000,
      },
    );
    const status = (await page.textContent('#status')) ?? '';
    const runId = /run (\S+) is on the server/.exec(status)?.[1];
    const view = await new Api({ host: example.server.url, apiKey: example.token }).run(`browser-training/${runId}`);
    expect(view.state).toBe('finished');
    const rows = await view.history();
    expect(rows.filter((row) => row['epoch/epoch'] !== undefined)).toHaveLength(20);
    expect(rows.filter((row) => row.regions !== undefined)).toHaveLength(20);
  } finally {
    await browser.close();
  }
}, 240_000);
