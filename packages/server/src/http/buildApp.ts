import Fastify, { type FastifyInstance } from 'fastify';
import { sweepRoutes } from '../sweeps/sweepRoutes.js';
import { type DashboardFactory, mountDashboard } from './dashboardMount.js';
import { type OriginPolicyOptions, originPolicy } from './originPolicy.js';
import { DEFAULT_RATE_LIMIT, type RateLimit, RateLimiter } from './rateLimiter.js';
import { artifactRoutes } from './routes/artifactRoutes.js';
import { blobRoutes } from './routes/blobRoutes.js';
import { ingestRoutes } from './routes/ingestRoutes.js';
import { leaseRoutes } from './routes/leaseRoutes.js';
import { readRoutes } from './routes/readRoutes.js';
import { runEditRoutes } from './routes/runEditRoutes.js';
import { tokenRoutes } from './routes/tokenRoutes.js';
import { uploadRoutes } from './routes/uploadRoutes.js';
import type { ServerContext } from './serverContext.js';
import { ServerError } from './serverError.js';

export interface AppOptions extends OriginPolicyOptions {
  rateLimit?: RateLimit;
  /** Where unexpected errors are reported (never with request headers or bodies). Default stderr. */
  logError?: (message: string) => void;
  /** Serves this dashboard at `/` (see dashboardMount.ts); without it `/` says where the API is. */
  dashboard?: DashboardFactory;
}

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);

/** Fastify's own errors, and blob storage that cannot be reached, mapped to the protocol's codes. */
function fromFastify(error: {
  code?: string;
  statusCode?: number;
  message: string;
  $metadata?: { httpStatusCode?: number };
}): ServerError | undefined {
  const storageDown = error.$metadata !== undefined && (error.$metadata.httpStatusCode ?? 500) >= 500;
  if (storageDown || (error.code && NETWORK_ERRORS.has(error.code))) {
    return new ServerError(503, 'UNAVAILABLE', 'blob storage cannot be reached: retry later');
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ServerError(413, 'BODY_TOO_LARGE', error.message);
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new ServerError(error.statusCode, 'INVALID_ARGUMENT', error.message);
  }
  return undefined;
}

/**
 * The HTTP application: request guards (Host, Origin/CORS, token, rate), then the routes. Every error becomes
 * `{"error":{code,message}}` with its status; an unexpected one is a 500 INTERNAL whose details stay in the log.
 */
export function buildApp(context: ServerContext, options: AppOptions): FastifyInstance {
  const app = Fastify({ logger: false, routerOptions: { maxParamLength: 300 } });
  const guardOrigin = originPolicy(options);
  const limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const logError = options.logError ?? ((message: string) => process.stderr.write(`runlog server: ${message}\n`));

  // Bodies reach the routes unread: each route reads, limits and decompresses (or streams) its own.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.decorateRequest('principal', null as never);

  app.addHook('onRequest', async (request, reply) => {
    if (guardOrigin(request, reply)) return reply;
    if (request.url === '/healthz' || request.url === '/') return;
    if (context.anonymous) request.principal = context.anonymous;
    else if (request.url.startsWith('/api/v1/') || !options.dashboard) {
      try {
        request.principal = await context.tokens.verify(request.headers.authorization);
      } catch (error) {
        limiter.take(`ip:${request.ip}`); // failed logins are rate-limited per address
        throw error;
      }
    }
    limiter.take(request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`);
  });

  app.setErrorHandler((error, request, reply) => {
    const known = error instanceof ServerError ? error : fromFastify(error as never);
    if (known) {
      if (known.code === 'RATE_LIMITED') reply.header('retry-after', String(known.details.retryAfter ?? 1));
      if (known.status === 413) reply.header('connection', 'close');
      return reply.code(known.status).send(known.toJSON());
    }
    logError(`${request.method} ${request.routeOptions.url ?? '?'}: ${(error as Error).stack ?? String(error)}`);
    return reply.code(500).send(new ServerError(500, 'INTERNAL', 'internal error (see the server log)').toJSON());
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(new ServerError(404, 'NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`).toJSON());
  });

  app.get('/healthz', async () => ({ ok: true }));
  // The dashboard checks its own token (header or cookie); without one, `/` says where the API lives.
  if (options.dashboard) mountDashboard(app, context, options.dashboard, options.allowedHosts?.[0] ?? 'localhost');
  else app.get('/', async () => ({ name: 'runlog server', api: '/api/v1', health: '/healthz' }));
  // First: its preHandler checks a leased writer's header on the ingest routes.
  leaseRoutes(app, context);
  ingestRoutes(app, context);
  blobRoutes(app, context);
  tokenRoutes(app, context);
  readRoutes(app, context);
  artifactRoutes(app, context);
  runEditRoutes(app, context);
  sweepRoutes(app, context);
  uploadRoutes(app, context);
  return app;
}
