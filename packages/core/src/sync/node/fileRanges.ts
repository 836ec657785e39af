import { open, stat } from 'node:fs/promises';
import { hashFile } from '../../artifacts/hashFile.js';
import type { BlobSource } from '../blobSync.js';

/** Bytes [offset, offset + length) of a file (fewer at its end). */
export async function readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** A file on disk as a blob; the digest is given (an object's name) or computed here. */
export async function fileBlob(path: string, sha256?: string): Promise<BlobSource> {
  const digest = sha256 ?? (await hashFile(path)).digest;
  const { size } = await stat(path);
  return { sha256: digest, size, read: (start, end) => readRange(path, start, end - start) };
}
