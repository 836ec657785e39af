import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './httpError.js';

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: (context: RouteContext) => Promise<void> | void;
}

/** A route from a path template: `:name` matches one segment, a trailing `*` the rest of the path. */
export function route(method: string, template: string, handler: Route['handler']): Route {
  const names: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        names.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment === '*') {
        names.push('rest');
        return '(.*)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

/** The first route matching the request, with its decoded parameters. */
export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  let pathMatched = false;
  for (const candidate of routes) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    pathMatched = true;
    if (candidate.method !== method && !(candidate.method === 'GET' && method === 'HEAD')) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(match[i + 1]);
      } catch {
        throw new HttpError(400, `bad escape in ${pathname}`);
      }
    });
    return { route: candidate, params };
  }
  if (pathMatched) throw new HttpError(405, `${method} is not allowed on ${pathname}`);
  return undefined;
}
