import { open } from 'node:fs/promises';

const TAIL_BYTES = 256 * 1024;

/**
 * Console output captured in output.log: from byte `from` (live follow) or, without it, the last 256 KiB.
 * The text ends at the last complete line; `offset` is where the next call starts.
 */
export async function readOutputLog(
  path: string,
  from?: number,
): Promise<{ text: string; offset: number; size: number; truncated: boolean }> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return { text: '', offset: 0, size: 0, truncated: false };
  try {
    const { size } = await handle.stat();
    const start = from === undefined ? Math.max(0, size - TAIL_BYTES) : Math.min(from, size);
    const length = Math.min(size - start, 4 * TAIL_BYTES);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    let end = buffer.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
    // A finished run's output may end without a newline: give everything when nothing more is coming.
    if (end === 0 && start + bytesRead === size) end = bytesRead;
    return {
      text: buffer.toString('utf8', 0, end),
      offset: start + end,
      size,
      truncated: from === undefined && start > 0,
    };
  } finally {
    await handle.close();
  }
}
