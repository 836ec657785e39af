/**
 * A key's numbers in one block of history rows: count (NaN left out), first, last, minimum and maximum, each
 * with its step.
 */
export interface KeyStats {
  count: number;
  firstStep: number;
  first: number;
  lastStep: number;
  last: number;
  minStep: number;
  min: number;
  maxStep: number;
  max: number;
}

/** One block of consecutive history rows: the bytes `[start, end)` of the history stream and their numbers. */
export interface OutlineBlock {
  start: number;
  end: number;
  rows: number;
  firstStep: number;
  lastStep: number;
  /** Top-level numeric keys of the block's rows. */
  keys: Record<string, KeyStats>;
}

/** History bytes no block describes (rows of a session that crashed before indexing, a live run's newest rows). */
export interface OutlineGap {
  start: number;
  end: number;
  /** The rows in those bytes, decoded. */
  rows: Record<string, unknown>[];
}

/**
 * The outline of a run's history: blocks in byte order (W&B's full-fidelity plots: each key's first/last/min/max
 * per block) and the gaps between and after them as rows, together covering the whole history. A chart of
 * millions of points is drawn from it; full rows are read only for a zoomed range (`readHistoryRange`).
 */
export interface HistoryOutlineData {
  /** The history stream's size the outline covers. */
  historyBytes: number;
  blocks: OutlineBlock[];
  gaps: OutlineGap[];
}

/** Chosen history rows: by position in the history (0 = first row) and by `_step`. */
export interface HistoryRowsQuery {
  positions?: readonly number[];
  steps?: readonly number[];
}
