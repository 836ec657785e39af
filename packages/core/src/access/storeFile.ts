/** A file of a run (media, saved files, the run's own documents), named relative to the run with `/`. */
export interface StoreFile {
  name: string;
  size: number;
  /** ISO time of the last change. */
  updatedAt: string;
}

export interface FileReadOptions {
  /** First byte to read (default 0). */
  offset?: number;
  /** Bytes to read at most (default: to the end, at most 8 MiB per call; read on from `offset + bytes.length`). */
  length?: number;
}

/** Bytes of a file: `bytes` start at `offset`; `size` is the whole file's. */
export interface FileChunk extends StoreFile {
  offset: number;
  bytes: Uint8Array;
}
