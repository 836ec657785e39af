import { visibleLength } from './colors.js';

export interface TableColumn {
  header: string;
  align?: 'left' | 'right';
  /** Longest a cell may be before it is cut with an ellipsis. */
  maxWidth?: number;
}

/** A plain text table: a header row, then one row per line, columns padded to their widest cell. */
export function renderTable(columns: TableColumn[], rows: string[][], headerStyle = (s: string) => s): string {
  const cut = (text: string, max?: number) =>
    max !== undefined && visibleLength(text) > max && !text.includes('\u001b') ? `${text.slice(0, max - 1)}…` : text;
  const cells = rows.map((row) => row.map((cell, i) => cut(cell, columns[i]?.maxWidth)));
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), ...cells.map((r) => visibleLength(r[i] ?? ''))),
  );
  const pad = (text: string, i: number) => {
    const room = widths[i] - visibleLength(text);
    return columns[i].align === 'right' ? ' '.repeat(room) + text : text + ' '.repeat(room);
  };
  const line = (row: string[]) => row.map(pad).join('  ').replace(/\s+$/, '');
  return [headerStyle(line(columns.map((c) => c.header))), ...cells.map(line)].join('\n');
}
