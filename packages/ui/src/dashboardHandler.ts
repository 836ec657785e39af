import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { FileStoreAccess, type StoreAccess } from '@runlog/core';
import { ACTION_HEADER } from './actionGate.js';
import { appRoutes } from './appRoutes.js';
import { artifactRoutes } from './artifactRoutes.js';
import { HistoryCache } from './historyCache.js';
import { HttpError } from './httpError.js';
import { sendError } from './httpResponses.js';
import { LiveUpdates } from './liveUpdates.js';
import { matchRoute, type Route, route } from './route.js';
import { runRoutes } from './runRoutes.js';
import { seriesRoutes } from './seriesRoutes.js';
import { sweepRoutes } from './sweepRoutes.js';

export interface DashboardHandlerOptions {
  /** The store the dashboard reads: a local folder's FileStoreAccess, or a server's (RemoteStoreAccess). */
  access: StoreAccess;
  /** How often live runs are checked for appended rows (default 1000 ms). */
  liveIntervalMs?: number;
  /** Where the built browser app lives (default: the package's dist/app). */
  appDir?: string;
  /**
   * Throws the 4xx a changing request (not GET/HEAD) gets when it may not change anything; default: it must
   * carry the action header. `startDashboard` passes its ActionGate (token, read-only off loopback).
   */
  checkAction?: (req: IncomingMessage) => void;
}

/** The dashboard as a request handler: its JSON API and the browser app, over one store access. */
export interface DashboardHandler {
  /** Answers one request (errors become `{ error: { code, message } }` answers). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Stops live updates and frees the caches. */
  close(): void;
}

/**
 * The dashboard's routes over a store access, without a listening server: `startDashboard` serves it on its
 * own port, and the team server mounts it at `/` with a store access that reads the server's own endpoints.
 * The caller checks the Host header; this checks the action header of changing requests.
 * @example
 * const dashboard = createDashboardHandler({ access: new FileStoreAccess('./runlog') });
 * http.createServer((req, res) => void dashboard.handle(req, res)).listen(6006);
 */
export function createDashboardHandler(options: DashboardHandlerOptions): DashboardHandler {
  const { access } = options;
  const checkAction =
    options.checkAction ??
    ((req: IncomingMessage) => {
      if (req.headers[ACTION_HEADER] !== '1')
        throw new HttpError(403, `changing requests need the header ${ACTION_HEADER}: 1`);
    });
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
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') checkAction(req);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const found = matchRoute(routes, method, url.pathname);
    if (!found) throw new HttpError(404, `not found: ${url.pathname}`);
    await found.route.handler({ req, res, params: found.params, query: url.searchParams });
  }
  return {
    handle: (req, res) => serve(req, res).catch((error) => sendError(res, error)),
    close() {
      live.close();
      cache.dispose();
    },
  };
}
