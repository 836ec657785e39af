import { Api } from '@runlog/core';
import { UsageError } from './usageError.js';

/** `--host` and `--api-key`: the commands that read runs read a runlog server with them. */
export const REMOTE_OPTIONS = {
  host: { type: 'string' },
  'api-key': { type: 'string' },
} as const;

/** Help lines for REMOTE_OPTIONS. */
export const REMOTE_HELP = `      --host <url>        read a runlog server instead of a local store (default $RUNLOG_HOST)
      --api-key <token>   the server's token (default $RUNLOG_API_KEY, which keeps it out of the process list)`;

/**
 * The read API the command reads through: a runlog server with --host (or $RUNLOG_HOST), else the local store.
 * An explicit --dir wins over $RUNLOG_HOST; --dir together with --host is a usage error.
 */
export function openApi(
  command: string,
  values: { dir?: string; host?: string; 'api-key'?: string },
  env: NodeJS.ProcessEnv = process.env,
): Api {
  if (values.host !== undefined && values.dir !== undefined) {
    throw new UsageError('give --dir (a local store) or --host (a server), not both', command);
  }
  const host = values.host ?? (values.dir === undefined ? env.RUNLOG_HOST || undefined : undefined);
  if (host === undefined) {
    if (values['api-key'] !== undefined) throw new UsageError('--api-key goes with --host', command);
    return new Api({ dir: values.dir });
  }
  return new Api({ host, apiKey: values['api-key'] ?? (env.RUNLOG_API_KEY || undefined) });
}
