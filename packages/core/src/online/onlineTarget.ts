import { InvalidValueError } from '../errors/runlogError.js';

/** The runlog server an online run streams to. */
export interface OnlineTarget {
  /** The server's URL (`http://host:port`), without a trailing slash. */
  host: string;
  /** A write token for the run's project (none for a server started with --no-auth). */
  apiKey?: string;
}

export type RunMode = 'online' | 'offline' | 'disabled';

/**
 * How init decides the mode, as wandb does: an explicit `mode` wins; without one a run is online when a server
 * and a token are configured (`host`/`apiKey` or $RUNLOG_HOST/$RUNLOG_API_KEY), else offline. 'online' without a
 * host is refused; a token alone never makes a run online.
 */
export function resolveMode(
  options: { mode?: RunMode; host?: string; apiKey?: string },
  env: NodeJS.ProcessEnv = process.env,
): { mode: RunMode; target?: OnlineTarget } {
  if (options.host !== undefined && typeof options.host !== 'string')
    throw new InvalidValueError('init option host must be a URL string', 'INVALID_ARGUMENT');
  if (options.apiKey !== undefined && typeof options.apiKey !== 'string')
    throw new InvalidValueError('init option apiKey must be a string', 'INVALID_ARGUMENT');
  if (options.mode === 'disabled' || options.mode === 'offline') return { mode: options.mode };
  const host = options.host || env.RUNLOG_HOST || undefined;
  const apiKey = options.apiKey || env.RUNLOG_API_KEY || undefined;
  if (options.mode === 'online') {
    if (!host)
      throw new InvalidValueError(
        "mode 'online' needs a server: pass host (or set RUNLOG_HOST) and apiKey (or RUNLOG_API_KEY)",
        'INVALID_ARGUMENT',
      );
    return { mode: 'online', target: { host: checkHost(host), apiKey } };
  }
  return host && apiKey ? { mode: 'online', target: { host: checkHost(host), apiKey } } : { mode: 'offline' };
}

function checkHost(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+$/i.test(trimmed))
    throw new InvalidValueError(`host ${JSON.stringify(host)} is not an http(s)://host[:port] URL`, 'INVALID_ARGUMENT');
  return trimmed;
}

/** The run's page on the server's dashboard (served at `/`, hash routes as in `runlog ui`). */
export function dashboardUrl(host: string, project: string, id: string): string {
  return `${host}/#/r/${encodeURIComponent(project)}/${encodeURIComponent(id)}`;
}
