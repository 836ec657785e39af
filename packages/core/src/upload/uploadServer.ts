/** Where uploads go: the server's URL(s) and the token. */
export interface UploadServerOptions {
  /** The runlog server (`http://host:8080`), or several replicas (a list or comma-separated); default $RUNLOG_HOST. */
  host?: string | readonly string[];
  /** A token with the write role; default $RUNLOG_API_KEY. */
  apiKey?: string;
}

export interface UploadServer {
  hosts: string[];
  apiKey?: string;
}

/** The server named by the options, else by RUNLOG_HOST / RUNLOG_API_KEY; undefined when there is none. */
export function uploadServer(
  options: UploadServerOptions,
  env: NodeJS.ProcessEnv = process.env,
): UploadServer | undefined {
  const host = options.host ?? (env.RUNLOG_HOST || undefined);
  if (host === undefined) return undefined;
  const hosts = (typeof host === 'string' ? host.split(',') : [...host]).map((h) => h.trim()).filter(Boolean);
  if (hosts.length === 0) return undefined;
  const apiKey = options.apiKey ?? (env.RUNLOG_API_KEY || undefined);
  return { hosts, ...(apiKey ? { apiKey } : {}) };
}
