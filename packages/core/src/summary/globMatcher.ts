import { InvalidValueError } from '../errors/runlogError.js';

/** The longest metric name or glob `defineMetric` takes. */
export const MAX_METRIC_NAME_LENGTH = 1024;

export function checkMetricNameLength(name: string): void {
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    throw new InvalidValueError(
      `defineMetric names and globs are limited to ${MAX_METRIC_NAME_LENGTH} characters, got ${name.length}`,
      'INVALID_ARGUMENT',
    );
  }
}

/**
 * Compiles a glob where '*' matches any run of characters (including '/') into a matcher whose cost is linear in
 * the key and the glob, however many stars it has. A regular expression `^a.*b.*c$` backtracks: nine stars made
 * the first log of a 50-character key take seconds. Glob matching with only '*' needs no backtracking: the first
 * and last pieces are anchored, and each middle piece is found at its leftmost place after the previous one.
 */
export function compileGlob(glob: string): (key: string) => boolean {
  const pieces = glob.split('*');
  if (pieces.length === 1) return (key) => key === glob;
  const head = pieces[0];
  const tail = pieces[pieces.length - 1];
  const middle = pieces.slice(1, -1).filter((piece) => piece.length > 0);
  const fixed = head.length + tail.length + middle.reduce((sum, piece) => sum + piece.length, 0);
  return (key) => {
    if (key.length < fixed || !key.startsWith(head) || !key.endsWith(tail)) return false;
    let at = head.length;
    const end = key.length - tail.length;
    for (const piece of middle) {
      const found = key.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}
