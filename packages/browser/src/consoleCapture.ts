/** The console methods a page's run mirrors into its output stream. */
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/**
 * Mirrors the page's console into a run's output stream (output.log on the server), as the Node engine captures
 * stdout and stderr: every `console.log`/`info`/`warn`/`error`/`debug` still prints, and its text, formatted as
 * the console formats it, is also handed to `write` with a newline. Returns the function that stops the capture
 * (at finish); a method another library wrapped since is left to it.
 */
export function captureConsole(write: (text: string) => void): () => void {
  const originals = METHODS.map((method) => console[method]);
  const wrappers = METHODS.map((method, i) => {
    const original = originals[i];
    const wrapper = (...args: unknown[]) => {
      original.apply(console, args);
      try {
        write(`${formatConsoleArgs(args)}\n`);
      } catch {
        // capturing never breaks the page's logging
      }
    };
    console[method] = wrapper;
    return wrapper;
  });
  return () => {
    METHODS.forEach((method, i) => {
      if (console[method] === wrappers[i]) console[method] = originals[i];
    });
  };
}

/**
 * The text a console call prints: a leading format string's `%s %d %i %f %o %O %j %c %%` filled from the
 * arguments (`%c`'s CSS dropped), then the other arguments after spaces: strings as they are, errors as their
 * stack, objects as JSON.
 */
export function formatConsoleArgs(args: readonly unknown[]): string {
  let rest = args;
  let head = '';
  if (typeof args[0] === 'string' && args[0].includes('%')) {
    let next = 1;
    head = args[0].replace(/%([sdifoOjc%])/g, (match, kind: string) => {
      if (kind === '%') return '%';
      if (next >= args.length) return match;
      const value = args[next++];
      if (kind === 'c') return '';
      if (typeof value === 'bigint' && (kind === 'd' || kind === 'i')) return `${value}n`;
      if (kind === 'd' || kind === 'f') return String(Number(value));
      if (kind === 'i') return String(Math.trunc(Number(value)));
      return kind === 's' ? describe(value, true) : describe(value, false);
    });
    rest = args.slice(next);
  } else if (args.length > 0) {
    head = describe(args[0], true);
    rest = args.slice(1);
  }
  return [head, ...rest.map((value) => describe(value, true))].join(' ');
}

function describe(value: unknown, stringsPlain: boolean): string {
  if (typeof value === 'string') return stringsPlain ? value : JSON.stringify(value);
  if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value) ?? String(value);
    } catch {
      return String(value); // cycles, BigInts inside
    }
  }
  return String(value);
}
