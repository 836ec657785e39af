import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ServerError } from './serverError.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1', '[::1]'];

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || (isIP(host) === 4 && host.startsWith('127.'));
}

export interface OriginPolicyOptions {
  /** The address the server listens on. */
  bindHost: string;
  /** Host names (without port) requests may name; default: loopback names when bound to loopback, else any. */
  allowedHosts?: string[];
  /** Origins (`https://app.example`) whose pages may call the API (CORS); default none. */
  corsOrigins?: string[];
}

function hostName(header: string): string {
  return header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.replace(/:\d+$/, '');
}

/**
 * Which requests the server answers. The Host header must name this server (a page that rebinds its own domain
 * to 127.0.0.1 gets 403), and a request from a web page (it has an Origin) must come from the server's own
 * origin or an allowed one. CORS is closed unless origins are allowed; their preflights are answered here.
 */
export function originPolicy(options: OriginPolicyOptions) {
  const hosts = options.allowedHosts
    ? new Set(options.allowedHosts.map((h) => h.toLowerCase()))
    : isLoopback(options.bindHost)
      ? new Set(LOOPBACK_NAMES)
      : undefined;
  const origins = new Set(options.corsOrigins ?? []);
  return (request: FastifyRequest, reply: FastifyReply): boolean => {
    const host = hostName(String(request.headers.host ?? '').toLowerCase());
    if (hosts && !hosts.has(host))
      throw new ServerError(403, 'HOST_NOT_ALLOWED', `this server does not answer for Host ${host}`);
    const origin = request.headers.origin;
    if (origin === undefined) return false;
    let sameOrigin = false;
    try {
      sameOrigin = new URL(origin).host.toLowerCase() === String(request.headers.host ?? '').toLowerCase();
    } catch {
      // not a URL (e.g. "null" from a sandboxed page): never same-origin
    }
    if (sameOrigin) return false;
    if (!origins.has(origin))
      throw new ServerError(403, 'ORIGIN_NOT_ALLOWED', `requests from ${origin} are not allowed`);
    reply.header('access-control-allow-origin', origin);
    reply.header('vary', 'Origin');
    reply.header('access-control-expose-headers', 'Retry-After, ETag');
    if (request.method !== 'OPTIONS') return false;
    reply.header('access-control-allow-methods', 'GET, HEAD, POST, PUT, DELETE');
    reply.header('access-control-allow-headers', 'Authorization, Content-Type, Content-Encoding');
    reply.header('access-control-max-age', '600');
    reply.code(204).send();
    return true; // a preflight: answered
  };
}
