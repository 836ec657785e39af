type Write = typeof process.stdout.write;

/**
 * Tees process.stdout and process.stderr into `sink` (the run's output.log) while leaving the terminal output
 * unchanged. Only one capture is active per process; `stop` restores the original writers only if ours are
 * still installed (someone else may have wrapped them after us).
 */
export class ConsoleCapture {
  private static active: ConsoleCapture | undefined;
  private originals: { out: Write; err: Write } | undefined;
  private wrappers: { out: Write; err: Write } | undefined;

  constructor(private readonly sink: (text: string) => void) {}

  start(): boolean {
    if (ConsoleCapture.active) return false;
    ConsoleCapture.active = this;
    const out = process.stdout.write;
    const err = process.stderr.write;
    this.originals = { out, err };
    const tee = (original: Write, stream: NodeJS.WriteStream): Write =>
      function (this: unknown, chunk: unknown, ...rest: unknown[]) {
        try {
          captureChunk(chunk, rest[0]);
        } catch {
          // the log file must never break the program's own output
        }
        return (original as (...a: unknown[]) => boolean).call(stream, chunk, ...rest);
      } as Write;
    const captureChunk = (chunk: unknown, encoding: unknown) => {
      if (typeof chunk === 'string') this.sink(chunk);
      else if (chunk instanceof Uint8Array)
        this.sink(Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    this.wrappers = { out: tee(out, process.stdout), err: tee(err, process.stderr) };
    process.stdout.write = this.wrappers.out;
    process.stderr.write = this.wrappers.err;
    return true;
  }

  stop(): void {
    if (ConsoleCapture.active !== this || !this.originals || !this.wrappers) return;
    if (process.stdout.write === this.wrappers.out) process.stdout.write = this.originals.out;
    if (process.stderr.write === this.wrappers.err) process.stderr.write = this.originals.err;
    ConsoleCapture.active = undefined;
  }
}
