import { print } from '../cliIo.js';
import type { Command } from '../command.js';
import { integerOption, parseCommandArgs } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog server [options]
       runlog server token create --role <read|write|admin> [--project <name>] [storage options]

Run the runlog tracking server (see docs/SERVER.md), or create an API token without a running server.

Options:
      --host <host>           interface to listen on (default 127.0.0.1)
      --port <n>              port (default 8080)
      --data <path>           data folder: embedded database and blobs (default ./runlog-server)
      --database-url <url>    PostgreSQL >= 15 instead of the embedded database (env RUNLOG_DATABASE_URL)
      --s3-endpoint <url>     S3-compatible blob storage (env RUNLOG_S3_ENDPOINT; credentials from AWS_*)
      --s3-bucket <name>      its bucket (env RUNLOG_S3_BUCKET)
      --cors-origin <origin>  a web origin allowed to call the API from a browser (repeatable)
      --allowed-host <name>   a host name clients use to reach the server (repeatable; default any
                              when bound to a non-loopback address, loopback names otherwise)
      --no-auth               no tokens: every caller is an admin (only on a loopback address)

Token options:
      --project <name>        the project the token is for (default: every project)
      --role <role>           read, write or admin
      --label <text>          who the token is for; t9k uploads put its relative folders under /<label>/
  -h, --help                  show this help

The token is printed once, as the last line of the output; the server keeps only its hash.`;

interface ServerModule {
  startServer(
    options: Record<string, unknown>,
  ): Promise<{ url: string; database: string; blobs: string; close(): Promise<void> }>;
  createTokenOffline(
    options: Record<string, unknown>,
  ): Promise<{ id: string; token: string; project: string | null; role: string }>;
}

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  data: { type: 'string' },
  'database-url': { type: 'string' },
  's3-endpoint': { type: 'string' },
  's3-bucket': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'allowed-host': { type: 'string', multiple: true },
  'no-auth': { type: 'boolean' },
  project: { type: 'string' },
  role: { type: 'string' },
  label: { type: 'string' },
} as const;

/** Loaded on demand: the server and its database and S3 clients cost nothing to the other commands. */
async function loadServer(): Promise<ServerModule> {
  try {
    return (await import('@runlog/server')) as unknown as ServerModule;
  } catch (error) {
    throw new Error(`@runlog/server could not be loaded (${(error as Error).message}): install it next to @runlog/cli`);
  }
}

/** ServerError carries a stable code: show it as the CLI shows RunlogError codes. */
function withCode(error: unknown): Error {
  const e = error as { code?: unknown; message?: string; name?: string };
  return e?.name === 'ServerError' ? new Error(`${String(e.code)}: ${e.message}`) : (error as Error);
}

export const serverCommand: Command = {
  name: 'server',
  summary: 'run the tracking server, or create its API tokens',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('server', args, OPTIONS);
    const s3 =
      values['s3-endpoint'] || values['s3-bucket']
        ? { endpoint: values['s3-endpoint'], bucket: values['s3-bucket'] }
        : undefined;
    if (s3 && !(s3.endpoint && s3.bucket)) throw new UsageError('--s3-endpoint and --s3-bucket go together', 'server');
    const storage = { data: values.data, databaseUrl: values['database-url'] };
    const server = await loadServer();
    if (positionals.length > 0) {
      if (positionals.join(' ') !== 'token create') {
        throw new UsageError(
          `unknown subcommand ${JSON.stringify(positionals.join(' '))} (try: token create)`,
          'server',
        );
      }
      if (!values.role) throw new UsageError('--role is required (read, write or admin)', 'server');
      const created = await server
        .createTokenOffline({ ...storage, project: values.project, role: values.role, label: values.label })
        .catch((error: unknown) => {
          throw withCode(error);
        });
      print(
        io,
        `token ${created.id}: ${created.role} on ${created.project ?? 'every project'} (shown once, keep it secret)`,
      );
      print(io, created.token);
      return 0;
    }
    // The dashboard at `/`, reading through the server's own endpoints with each visitor's token.
    const { createDashboardHandler } = (await import('@runlog/ui')) as {
      createDashboardHandler: (options: { access: unknown }) => unknown;
    };
    const running = await server
      .startServer({
        dashboard: (access: unknown) => createDashboardHandler({ access }),
        ...storage,
        host: values.host,
        port: integerOption('server', 'port', values.port, 8080),
        s3,
        noAuth: values['no-auth'] === true,
        corsOrigins: values['cors-origin'],
        allowedHosts: values['allowed-host'],
      })
      .catch((error: unknown) => {
        throw withCode(error);
      });
    print(io, `runlog server at ${running.url} (${running.database}, ${running.blobs} blobs; Ctrl-C to stop)`);
    // Ctrl-C, or SIGTERM from a process manager or container runtime: close cleanly (the embedded database
    // is flushed and its data folder unlocked).
    let onTerminate = () => {};
    await new Promise<void>((resolve) => {
      onTerminate = () => resolve();
      if (io.interrupted.aborted) resolve();
      io.interrupted.addEventListener('abort', () => resolve(), { once: true });
      process.once('SIGTERM', onTerminate);
    });
    process.removeListener('SIGTERM', onTerminate);
    await running.close();
    return 0;
  },
};
