import { print } from '../cliIo.js';
import type { Command } from '../command.js';
import { integerOption, parseCommandArgs } from '../parseCommandArgs.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog ui [options]

Start the local dashboard over the store and keep it running until Ctrl-C.

Options:
      --port <n>          port (default 6006, or the next free one)
      --host <host>       interface to listen on (default 127.0.0.1); beyond this machine the dashboard is
                          read-only unless a token is given
      --token <token>     edits and deletes need this token (default $RUNLOG_UI_TOKEN); never printed
      --no-open           do not open it in the browser (it opens only when stdout is a terminal)
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

interface Dashboard {
  url: string;
  close(): Promise<void>;
}
type StartDashboard = (options: {
  dir?: string;
  port?: number;
  host?: string;
  open?: boolean;
  token?: string;
}) => Promise<Dashboard>;
const LOOPBACK = /^(localhost|::1|\[::1\]|127\.\d+\.\d+\.\d+)$/i;

export const uiCommand: Command = {
  name: 'ui',
  summary: 'start the local dashboard',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('ui', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      token: { type: 'string' },
      'no-open': { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, 'ui');
    const port = values.port === undefined ? undefined : integerOption('ui', 'port', values.port, 0);
    // Loaded on demand: the dashboard (and its dependencies) cost nothing to the other commands.
    const { startDashboard } = (await import('@runlog/ui')) as { startDashboard: StartDashboard };
    const dashboard = await startDashboard({
      dir: values.dir,
      port,
      host: values.host,
      token: values.token,
      // Like tensorboard, open the browser for a person at a terminal, never for a script or CI.
      open: !values['no-open'] && process.stdout.isTTY === true,
    });
    // One write: a reader that sees the URL line also sees how edits are guarded.
    const lines = [`runlog dashboard at ${dashboard.url} (Ctrl-C to stop)`];
    const token = values.token ?? process.env.RUNLOG_UI_TOKEN;
    if (token) lines.push('edits and deletes need the token (the app asks for it once)');
    else if (values.host !== undefined && !LOOPBACK.test(values.host))
      lines.push('read-only: it listens beyond this machine without a token (--token or RUNLOG_UI_TOKEN allows edits)');
    print(io, lines.join('\n'));
    await new Promise<void>((resolve) => {
      if (io.interrupted.aborted) resolve();
      io.interrupted.addEventListener('abort', () => resolve(), { once: true });
    });
    await dashboard.close();
    return 0;
  },
};
