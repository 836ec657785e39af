import { RE2JS } from 're2js';
import { FilterError } from './filterError.js';

/**
 * The longest `$regex` pattern a filter accepts. Filters come from URLs (the dashboard), the command line and
 * other processes: a bound keeps compiling one cheap, whoever sent it.
 */
export const MAX_REGEX_PATTERN_LENGTH = 1000;

const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // No meaning for a yes/no test: accepted so a RegExp literal with them still works.
  g: 0,
  y: 0,
  u: 0,
  d: 0,
};

/**
 * Compiles a `$regex` filter with RE2's linear-time engine (re2js): matching costs time proportional to the
 * text, whatever the pattern (`^(a+)+b$` on a long name answers at once instead of hanging the process that
 * reads the runs). RE2 syntax is JavaScript's without backreferences and lookarounds; those are a FilterError.
 */
export function compileLinearRegex(
  pattern: unknown,
  options: string | undefined,
  at: string,
): (text: string) => boolean {
  let source: string;
  let flagText: string;
  if (pattern instanceof RegExp) {
    source = pattern.source;
    flagText = options ?? pattern.flags;
  } else if (typeof pattern === 'string') {
    source = pattern;
    flagText = options ?? '';
  } else {
    throw new FilterError(`${at} must be a string or RegExp, got ${pattern === null ? 'null' : typeof pattern}`);
  }
  if (source.length > MAX_REGEX_PATTERN_LENGTH) {
    throw new FilterError(
      `${at} is ${source.length} characters long; patterns are limited to ${MAX_REGEX_PATTERN_LENGTH} characters`,
    );
  }
  let flags = 0;
  for (const flag of flagText) {
    const value = FLAGS[flag];
    if (value === undefined) throw new FilterError(`${at}: unknown regex flag "${flag}"; use i, m or s`);
    flags |= value;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, flags);
  } catch (error) {
    throw new FilterError(
      `${at} is not a valid regular expression for the linear-time (RE2) engine: ${(error as Error).message}` +
        ' (backreferences and lookarounds are not supported)',
    );
  }
  return (text) => compiled.test(text);
}
