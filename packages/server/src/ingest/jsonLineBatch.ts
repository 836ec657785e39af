/** One line of a JSON-lines batch that parsed: its byte offset in the client's file, its text and its value. */
export interface ParsedLine {
  offset: number;
  /** Byte offset just after the line's `\n`. */
  end: number;
  text: string;
  value: Record<string, unknown>;
}

const NEWLINE = 0x0a;
/** JSON escapes PostgreSQL's jsonb cannot hold: NUL, and UTF-16 surrogates (lone ones fail; pairs are rare). */
const JSONB_UNSAFE = /\\u0000|\\ud[89a-f]/i;

/**
 * Splits a batch of JSON lines starting at byte `offset` of the client's file. Lines that do not parse as a JSON
 * object are damaged and left out (readers of the store skip them too); empty lines are left out. A trailing
 * piece without `\n` is left out as well (the caller decides whether the batch may have one).
 */
export function parseJsonLines(bytes: Buffer, offset: number): ParsedLine[] {
  return parseWholeBatch(bytes, offset) ?? parseLineByLine(bytes, offset);
}

/**
 * The common case in one JSON.parse: every line one object, none empty, nothing jsonb refuses. The lines are
 * joined into one array text (a raw newline cannot occur inside a JSON value, so it only separates lines); when
 * the element count differs from the line count, or anything fails, the line-by-line path decides.
 */
function parseWholeBatch(bytes: Buffer, offset: number): ParsedLine[] | undefined {
  const whole = bytes.lastIndexOf(NEWLINE) + 1;
  if (whole === 0) return [];
  const text = bytes.toString('utf8', 0, whole);
  if (JSONB_UNSAFE.test(text) || text.includes('\n\n') || text.charCodeAt(0) === NEWLINE) return undefined;
  let values: unknown[];
  try {
    values = JSON.parse(`[${text.slice(0, -1).replaceAll('\n', ',')}]`) as unknown[];
  } catch {
    return undefined;
  }
  const texts = text.split('\n');
  if (values.length !== texts.length - 1) return undefined;
  const lines: ParsedLine[] = new Array(values.length);
  let start = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const end = bytes.indexOf(NEWLINE, start);
    lines[i] = {
      offset: offset + start,
      end: offset + end + 1,
      text: texts[i],
      value: value as Record<string, unknown>,
    };
    start = end + 1;
  }
  return lines;
}

function parseLineByLine(bytes: Buffer, offset: number): ParsedLine[] {
  const lines: ParsedLine[] = [];
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) break;
    if (end > start) {
      const text = bytes.toString('utf8', start, end);
      const parsed = parseObject(text);
      if (parsed) lines.push({ offset: offset + start, end: offset + end + 1, ...parsed });
    }
    start = end + 1;
  }
  return lines;
}

function parseObject(text: string): { text: string; value: Record<string, unknown> } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (!JSONB_UNSAFE.test(text)) return { text, value: value as Record<string, unknown> };
  // Rare: rewrite the line with U+FFFD for what jsonb refuses (docs/PROTOCOL.md); the value keeps its shape.
  const clean = wellFormed(value) as Record<string, unknown>;
  return { text: JSON.stringify(clean), value: clean };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The value with NUL and lone surrogates in its strings replaced by U+FFFD (what jsonb can store). */
export function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\0', '\ufffd').replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k) as string, wellFormed(v)]));
  }
  return value;
}
