import { LOOPBACK_ADMIN } from './auth/roles.js';
import { TokenVerifier } from './auth/tokens.js';
import { BlobService } from './blobs/blobService.js';
import { buildApp } from './http/buildApp.js';
import { isLoopback } from './http/originPolicy.js';
import { ServerError } from './http/serverError.js';
import { openBlobStore, openDatabase } from './openStorage.js';
import { resolveStorage, type ServerOptions } from './serverOptions.js';

export interface RunningServer {
  /** `http://host:port` */
  url: string;
  port: number;
  /** 'pglite' (embedded) or 'postgres'; 'folder' or 's3'. */
  database: 'pglite' | 'postgres';
  blobs: 'folder' | 's3';
  close(): Promise<void>;
}

/**
 * Starts a runlog server: migrates the database (safe with replicas starting together), then serves the
 * protocol (docs/PROTOCOL.md). The server keeps no state of its own between requests: replicas on one
 * PostgreSQL and one bucket serve the same data.
 * @example
 * const server = await startServer({ data: './runlog-server' });
 * console.log(`runlog server at ${server.url}`);
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  if (options.noAuth && !isLoopback(host)) {
    throw new ServerError(400, 'CONFIG_INVALID', `--no-auth is allowed only on a loopback address, not ${host}`);
  }
  const storage = resolveStorage(options);
  const db = await openDatabase(storage, options.maxConnections);
  const store = openBlobStore(storage);
  const app = buildApp(
    {
      db,
      blobs: new BlobService(db, store, options.partSize),
      tokens: new TokenVerifier(db),
      anonymous: options.noAuth ? LOOPBACK_ADMIN : undefined,
    },
    {
      bindHost: host,
      allowedHosts: options.allowedHosts,
      corsOrigins: options.corsOrigins,
      rateLimit: options.rateLimit,
      logError: options.logError,
      dashboard: options.dashboard,
    },
  );
  try {
    await app.listen({ host, port: options.port ?? 8080 });
  } catch (error) {
    await Promise.allSettled([app.close(), db.close(), store.close()]);
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    database: db.kind,
    blobs: store.kind,
    async close() {
      await app.close();
      await Promise.allSettled([db.close(), store.close()]);
    },
  };
}
