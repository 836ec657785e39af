// Serves the example page and starts a runlog server (PGlite in ./runlog-server, the dashboard at `/`) that
// allows the page's origin and gives it a write token:
//   node --import tsx examples/browser-training/serve.ts [--port 8000] [--server-port 8080]
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTokenOffline, type RunningServer, startServer } from '@runlog/server';
import { createDashboardHandler } from '@runlog/ui';
import { build } from 'esbuild';

export interface ExampleOptions {
  /** The page's port (default 8000; 0 for any free one). */
  port?: number;
  /** The runlog server's port (default 8080; 0 for any free one). */
  serverPort?: number;
  /** The server's data folder (default ./runlog-server). */
  data?: string;
}

export interface RunningExample {
  pageUrl: string;
  server: RunningServer;
  token: string;
  close(): Promise<void>;
}

const here = import.meta.dirname;

export async function start(options: ExampleOptions = {}): Promise<RunningExample> {
  // The page: its script bundled with @runlog/browser and TensorFlow.js (any bundler does; esbuild here).
  const bundle = await build({
    entryPoints: [join(here, 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0].text;
  const html = await readFile(join(here, 'index.html'), 'utf8');
  let config = '{}';
  const site: Server = createServer((request, response) => {
    const path = request.url?.split('?')[0];
    if (path === '/') response.writeHead(200, { 'content-type': 'text/html' }).end(html);
    else if (path === '/page.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (path === '/config.json') response.writeHead(200, { 'content-type': 'application/json' }).end(config);
    else response.writeHead(404).end();
  });
  await new Promise<void>((done) => site.listen(options.port ?? 8000, '127.0.0.1', done));
  const pageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;

  // The server: a write token for the example's project, made offline as an operator would, and CORS for the page.
  const data = resolve(options.data ?? 'runlog-server');
  const { token } = await createTokenOffline({
    data,
    project: 'browser-training',
    role: 'write',
    label: 'browser example',
  });
  const server = await startServer({
    data,
    port: options.serverPort ?? 8080,
    corsOrigins: [pageUrl],
    dashboard: (access) => createDashboardHandler({ access }),
  });
  config = JSON.stringify({ host: server.url, apiKey: token, dashboard: `${server.url}/` });
  return {
    pageUrl,
    server,
    token,
    close: async () => {
      await new Promise<void>((done) => site.close(() => done()));
      await server.close();
    },
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(here, 'serve.ts')) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'server-port': { type: 'string' } } });
  const example = await start({
    port: values.port ? Number(values.port) : undefined,
    serverPort: values['server-port'] ? Number(values['server-port']) : undefined,
  });
  console.log(`Open ${example.pageUrl}/ and press Train.`);
  console.log(`The runlog server (and its dashboard) is at ${example.server.url}/; log in with this read/write token:`);
  console.log(example.token);
  const stop = async () => {
    await example.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
