import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { FileStoreAccess, type StoreAccess } from '@runlog/core';
import { ActionGate } from './actionGate.js';
import { appRoutes } from './appRoutes.js';
import { artifactRoutes } from './artifactRoutes.js';
import { findFreePort } from './findFreePort.js';
import { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendError } from './httpResponses.js';
import { LiveUpdates } from './liveUpdates.js';
import { openBrowser } from './openBrowser.js';
import { matchRoute, type Route, route } from './route.js';
import { runRoutes } from './runRoutes.js';
import { seriesRoutes } from './seriesRoutes.js';
import { sweepRoutes } from './sweepRoutes.js';

export interface DashboardOptions {
  /** Store root; default as the engine's ($RUNLOG_DIR, else ./runlog). */
  dir?: string;
  /** First port to try (default 6006); the next free one is taken when it is busy; 0 for any free port. */
  port?: number;
  /** Interface to bind (default 127.0.0.1: only this machine can connect). Off loopback the dashboard is read-only
   * unless a `token` is given. */
  host?: string;
  /** Edits and deletes need `Authorization: Bearer <token>` (default $RUNLOG_UI_TOKEN; none: allowed only on loopback). */
  token?: string;
  /** Open the URL in the desktop browser (default false). */
  open?: boolean;
  /** How often live runs are checked for appended rows (default 1000 ms). */
  liveIntervalMs?: number;
  /** Where the built browser app lives (default: the package's dist/app). */
  appDir?: string;
  /** Reads the store through this store access instead of the folder `dir` (the team server passes its own). */
  access?: StoreAccess;
}

export interface Dashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

export { ACTION_HEADER } from './actionGate.js';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Serves the dashboard over a store: the JSON API (see the README) and the browser app.
 * @example
 * const { url, close } = await startDashboard({ dir: './runlog' });
 * console.log(`dashboard at ${url}`);
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const access = options.access ?? new FileStoreAccess(options.dir);
  const gate = new ActionGate(host, options.token ?? (process.env.RUNLOG_UI_TOKEN || undefined));
  const cache = new HistoryCache(access);
  const live = new LiveUpdates(access, cache, options.liveIntervalMs);
  const appDir = options.appDir ?? fileURLToPath(new URL('../dist/app/', import.meta.url));
  const routes: Route[] = [
    ...runRoutes(access, cache),
    ...seriesRoutes(cache, access),
    ...artifactRoutes(access),
    // Sweeps are kept in a local store only (the team server does not host them yet).
    ...(access instanceof FileStoreAccess ? sweepRoutes(access) : []),
    ...live.routes(),
    route('GET', '/api/*', () => {
      throw new HttpError(404, 'no such API route: see the @runlog/ui README');
    }),
    ...appRoutes(appDir),
  ];
  // Port 0 asks the system for any free port.
  const requested = options.port ?? 6006;
  const firstPort = requested === 0 ? 0 : await findFreePort(requested, host);
  const allowAnyHost = host === '0.0.0.0' || host === '::';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error) => sendError(res, error));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '');
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) must not read the store.
    if (!allowAnyHost && !LOCAL_HOSTS.has(hostHeader) && hostHeader !== host)
      throw new HttpError(403, `refused: unexpected Host ${hostHeader}`);
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') gate.check(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = matchRoute(routes, method, url.pathname);
    if (!found) throw new HttpError(404, `not found: ${url.pathname}`);
    await found.route.handler({ req, res, params: found.params, query: url.searchParams });
  }

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(firstPort, host, () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : firstPort;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  if (options.open) openBrowser(url);
  return {
    url,
    port,
    close: () =>
      new Promise<void>((done) => {
        live.close();
        cache.dispose();
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
