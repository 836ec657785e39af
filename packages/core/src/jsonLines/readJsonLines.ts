import { parseRowLine } from './jsonLineRows.js';
import { readLineChunks } from './lineChunks.js';

/**
 * Reads a whole JSON-lines file one decoded object at a time, by the one damaged-line rule (jsonLineRows.ts): a
 * torn last line is not returned, a damaged line is skipped and reported to `onSkip` (1-based line number). A
 * missing file yields nothing.
 */
export async function* readJsonLines<T = Record<string, unknown>>(
  path: string,
  options: { onSkip?: (lineNumber: number) => void } = {},
): AsyncGenerator<T> {
  let lineNumber = 0;
  for await (const text of readLineChunks(path, { chunkBytes: 1 << 20 })) {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lineNumber++;
      if (end > start) {
        const row = parseRowLine(text.slice(start, end));
        if (row) yield row as T;
        else options.onSkip?.(lineNumber);
      }
      start = end + 1;
    }
  }
}
