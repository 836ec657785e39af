import { open, stat } from 'node:fs/promises';

/**
 * Reads what was appended to a file since the last call, in whole lines (a line still being written waits for
 * its newline). A file that does not exist yet reads as empty.
 */
export class FileFollower {
  private carried = Buffer.alloc(0);

  constructor(
    readonly path: string,
    private offset = 0,
  ) {}

  /** Starts at the file's end, keeping its last `lines` lines for the first read. */
  async seekToLastLines(lines: number): Promise<void> {
    const size = (await stat(this.path).catch(() => undefined))?.size ?? 0;
    if (lines <= 0 || size === 0) {
      this.offset = size;
      return;
    }
    const window = Math.min(size, 256 * 1024);
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(window);
      await handle.read(buffer, 0, window, size - window);
      // Walk back over newlines: the line after the (lines+1)-th newline from the end is where to start.
      let position = buffer.lastIndexOf(10, window - 1);
      for (let i = 0; i < lines && position !== -1; i++)
        position = position === 0 ? -1 : buffer.lastIndexOf(10, position - 1);
      this.offset = size - window + position + 1;
    } finally {
      await handle.close();
    }
  }

  /** The complete lines appended since the last read. */
  async readLines(): Promise<string[]> {
    const size = (await stat(this.path).catch(() => undefined))?.size ?? 0;
    if (size < this.offset) this.offset = 0; // the file was replaced
    if (size === this.offset) return [];
    const handle = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const data = Buffer.concat([this.carried, buffer.subarray(0, bytesRead)]);
      const last = data.lastIndexOf(10);
      this.carried = last === -1 ? data : data.subarray(last + 1);
      if (last === -1) return [];
      return data.toString('utf8', 0, last).split('\n');
    } finally {
      await handle.close();
    }
  }
}
