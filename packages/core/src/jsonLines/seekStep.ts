import { open } from 'node:fs/promises';
import { stepOfLine } from '../historyRows/historyRowText.js';
import { NEWLINE } from './lineBytes.js';

/**
 * Byte offset of a line at or before the first line whose `_step` is >= `minStep`, found by bisecting the file
 * (history is written in increasing `_step` order). Lets a read skip straight to the middle of a long history.
 */
export async function seekStep(path: string, minStep: number): Promise<number> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch {
    return 0;
  }
  try {
    const size = (await handle.stat()).size;
    const probe = Buffer.allocUnsafe(1 << 16);
    let low = 0; // always a line start whose step is < minStep (or the file start)
    let high = size;
    while (high - low > probe.length) {
      const middle = low + Math.floor((high - low) / 2);
      const { bytesRead } = await handle.read(probe, 0, probe.length, middle);
      const first = probe.indexOf(NEWLINE, 0);
      const second = first === -1 ? -1 : probe.indexOf(NEWLINE, first + 1);
      if (second === -1 || second >= bytesRead) break;
      const step = stepOfLine(probe.toString('utf8', first + 1, second));
      if (step === undefined) break;
      if (step < minStep) low = middle + first + 1;
      else high = middle;
    }
    return low;
  } finally {
    await handle.close();
  }
}
