/**
 * A progress bar on stderr, drawn only when stderr is a terminal (scripts and pipes get nothing), redrawn at
 * most every 100 ms. `done()` clears it.
 */
export class ProgressBar {
  private lastDraw = 0;
  private readonly active: boolean;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly label: string,
  ) {
    this.active = stream.isTTY === true;
  }

  update(fraction: number, detail = ''): void {
    if (!this.active) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && fraction < 1) return;
    this.lastDraw = now;
    const clamped = Math.min(1, Math.max(0, fraction));
    const width = 30;
    const filled = Math.round(clamped * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(`\r${this.label} ${bar} ${String(Math.round(clamped * 100)).padStart(3)}% ${detail}\u001b[K`);
  }

  done(): void {
    if (this.active) this.stream.write('\r\u001b[K');
  }
}
