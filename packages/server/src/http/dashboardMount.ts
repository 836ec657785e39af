import type { IncomingMessage, ServerResponse } from 'node:http';
import { RemoteStoreAccess, type StoreAccess } from '@runlog/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from './serverContext.js';
import { ServerError } from './serverError.js';

/** A dashboard over one store access: what @runlog/ui's `createDashboardHandler` returns. */
export interface DashboardHandler {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): void;
}

/** Makes the dashboard for a store access (`(access) => createDashboardHandler({ access })` from @runlog/ui). */
export type DashboardFactory = (access: StoreAccess) => DashboardHandler;

const COOKIE = 'runlog_token';
/** Dashboards kept at once, one per token in use (each with its own history cache). */
const MAX_DASHBOARDS = 16;

const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>runlog</title>
<form method="post" action="/login" style="font:16px system-ui;margin:4em auto;max-width:28em">
<h1>runlog server</h1><p>Paste an API token (<code>runlog server token create --role read</code>).</p>
<input name="token" type="password" autocomplete="off" style="width:100%" autofocus>
<p><button>Open the dashboard</button></p></form>`;

function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * A fetch that sends the dashboard's reads to this server's own endpoints in-process (no socket): every read
 * goes through the same routes, token checks, roles and rate limits as a remote client's.
 */
function injectFetch(app: FastifyInstance, host: string) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    const target = new URL(url);
    const answer = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url: target.pathname + target.search,
      headers: { ...(init.headers as Record<string, string>), host },
      payload: init.body as string | undefined,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304;
    const body = empty ? null : new Uint8Array(answer.rawPayload);
    return new Response(body, { status: answer.statusCode, headers });
  };
}

/**
 * Serves the dashboard at `/` (every path outside /api/v1 and /healthz). It reads through a RemoteStoreAccess
 * whose requests are answered by this server in-process, with the caller's own token: the token comes from the
 * Authorization header or the `runlog_token` cookie that `POST /login` sets (HttpOnly, SameSite=Strict), so
 * the dashboard shows exactly what the token may read, and edits need the write role.
 */
export function mountDashboard(
  app: FastifyInstance,
  context: ServerContext,
  factory: DashboardFactory,
  selfHost: string,
): void {
  const dashboards = new Map<string, DashboardHandler>();
  const fetch = injectFetch(app, selfHost);
  const dashboardFor = (token: string | undefined): DashboardHandler => {
    const key = token ?? '';
    let dashboard = dashboards.get(key);
    if (dashboard) {
      dashboards.delete(key); // re-inserted: the map's order is least recently used first
    } else {
      dashboard = factory(new RemoteStoreAccess({ host: 'http://runlog.internal', apiKey: token ?? '', fetch }));
      if (dashboards.size >= MAX_DASHBOARDS) {
        const [oldest, handler] = dashboards.entries().next().value as [string, DashboardHandler];
        handler.close();
        dashboards.delete(oldest);
      }
    }
    dashboards.set(key, dashboard);
    return dashboard;
  };

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    let token: string | undefined;
    if (!context.anonymous) {
      const header = request.headers.authorization;
      const cookie = cookieToken(request.headers.cookie);
      const bearer = header ?? (cookie ? `Bearer ${cookie}` : undefined);
      try {
        await context.tokens.verify(bearer);
      } catch (error) {
        const page = request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/files/');
        if (!page) throw error;
        return reply.code(401).header('content-type', 'text/html; charset=utf-8').send(LOGIN_PAGE);
      }
      token = (bearer ?? '').replace(/^Bearer\s+/i, '');
    }
    reply.hijack();
    await dashboardFor(token).handle(request.raw, reply.raw);
  };

  app.post('/login', async (request, reply) => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 4096) throw new ServerError(413, 'BODY_TOO_LARGE', 'a login form is small');
      chunks.push(chunk);
    }
    const token = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token')?.trim() ?? '';
    await context.tokens.verify(`Bearer ${token}`); // 401 UNAUTHENTICATED when it is not a valid token
    const secure = request.protocol === 'https' ? '; Secure' : '';
    reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/${secure}`);
    return reply.redirect('/', 303);
  });
  app.route({ method: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'], url: '/*', handler: serve });
  app.route({ method: ['GET', 'HEAD'], url: '/', handler: serve });
  app.addHook('onClose', async () => {
    for (const dashboard of dashboards.values()) dashboard.close();
    dashboards.clear();
  });
}
