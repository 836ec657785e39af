import { createReadStream } from 'node:fs';
import { decodeJsonValue } from '../values/jsonCodec.js';

/**
 * Reads a JSON-lines stream one decoded object at a time. A torn last line (no trailing newline, or not
 * parseable: a writer was killed mid-append) is skipped, as docs/FORMAT.md allows; a missing file yields nothing.
 * A damaged line in the middle is skipped too and counted in `onSkip`.
 */
export async function* readJsonLines<T = Record<string, unknown>>(
  path: string,
  options: { onSkip?: (lineNumber: number) => void; highWaterMark?: number } = {},
): AsyncGenerator<T> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: options.highWaterMark ?? 1 << 20 });
  let rest = '';
  let lineNumber = 0;
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      let start = 0;
      let end = text.indexOf('\n', start);
      while (end !== -1) {
        lineNumber++;
        const line = text.slice(start, end);
        if (line.length > 0) {
          const parsed = tryParse(line);
          if (parsed === undefined) options.onSkip?.(lineNumber);
          else yield parsed as T;
        }
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      rest = text.slice(start);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  // `rest` is a last line without its newline: torn, never yielded.
  if (rest.length > 0) options.onSkip?.(lineNumber + 1);
}

function tryParse(line: string): unknown {
  try {
    return decodeJsonValue(JSON.parse(line));
  } catch {
    return undefined;
  }
}
