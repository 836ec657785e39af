import type { Logs } from './readLogs.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Redraws at most this often on a TTY: drawing every batch of a fast model would cost more than the batch. */
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

/**
 * A compact Keras-style progress display. On a TTY: one line per epoch, redrawn in place with a bar, the batch,
 * loss and metrics, samples/s and the ETA. Elsewhere (CI logs, captured output): one plain line per epoch.
 */
export class ProgressBar {
  private epochLabel = '';
  private lastDraw = 0;
  private epochStart = 0;
  private seen = 0;

  constructor(
    private readonly stream: ProgressStream = defaultProgressStream(),
    private readonly tty = stream.isTTY === true,
  ) {}

  epochBegin(epoch: number, epochs: number | undefined): void {
    this.epochStart = performance.now();
    this.seen = 0;
    this.lastDraw = 0;
    this.epochLabel = `Epoch ${epoch + 1}${epochs ? `/${epochs}` : ''}`;
  }

  /** `samples`: the batch's sample count. */
  batchEnd(batch: number, steps: number | undefined, logs: Logs, samples: number): void {
    this.seen += samples;
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    const elapsed = (now - this.epochStart) / 1000;
    const done = batch + 1;
    const parts = [this.epochLabel, steps ? `${bar(done / steps)} ${done}/${steps}` : `${done}`];
    parts.push(formatMetrics(logs), `${formatRate(this.seen, elapsed)}`);
    if (steps && done < steps) parts.push(`ETA ${formatSeconds(((steps - done) * elapsed) / done)}`);
    this.draw(parts.join('  '));
  }

  epochEnd(logs: Logs): void {
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const line = [this.epochLabel, formatSeconds(elapsed), formatMetrics(logs), formatRate(this.seen, elapsed)]
      .filter(Boolean)
      .join('  ');
    this.draw(line);
    this.stream.write('\n');
  }

  private draw(line: string): void {
    if (!this.tty) {
      this.stream.write(line);
      return;
    }
    const width = this.stream.columns ?? 120;
    this.stream.write(`\r${line.length >= width ? line.slice(0, width - 1) : line}\x1b[K`);
  }
}

function bar(fraction: number): string {
  const filled = Math.min(BAR_WIDTH, Math.floor(fraction * BAR_WIDTH));
  if (filled === BAR_WIDTH) return `[${'='.repeat(BAR_WIDTH)}]`;
  return `[${'='.repeat(filled)}>${'.'.repeat(BAR_WIDTH - filled - 1)}]`;
}

function formatMetrics(logs: Logs): string {
  return Object.entries(logs)
    .filter(([key]) => key !== 'batch' && key !== 'size')
    .map(([key, value]) => `${key} ${formatNumber(value)}`)
    .join('  ');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5) ? value.toExponential(3) : value.toFixed(4);
}

function formatRate(samples: number, seconds: number): string {
  return samples > 0 && seconds > 0 ? `${Math.round(samples / seconds)} samples/s` : '';
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}

/** process.stdout in Node; in a web page (no process), each finished line goes to console.log. */
function defaultProgressStream(): ProgressStream {
  const stdout = (globalThis as { process?: { stdout?: ProgressStream } }).process?.stdout;
  if (stdout) return stdout;
  let line = '';
  return {
    write(text: string) {
      line += text;
      const end = line.lastIndexOf('\n');
      if (end < 0) return;
      for (const done of line.slice(0, end).split('\n')) if (done.trim()) console.log(done);
      line = line.slice(end + 1);
    },
  };
}
