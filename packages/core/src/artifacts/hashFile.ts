import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Large reads keep the hash, not the syscalls, the bottleneck; small files get a buffer of their size. */
const MAX_CHUNK_BYTES = 4 << 20;
const MIN_CHUNK_BYTES = 64 << 10;

/**
 * sha256 of a file, streamed with large reads; the next read is already in flight while a chunk is hashed.
 * Resolves to the hex digest and the number of bytes read.
 */
export async function hashFile(path: string): Promise<{ digest: string; bytes: number }> {
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const { size } = await handle.stat();
    const chunkBytes = Math.min(MAX_CHUNK_BYTES, Math.max(MIN_CHUNK_BYTES, size + 1));
    const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
    let bytes = 0;
    let which = 0;
    let pending = handle.read(buffers[which], 0, chunkBytes, null);
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const chunk = buffers[which];
      which ^= 1;
      pending = handle.read(buffers[which], 0, chunkBytes, null);
      hash.update(chunk.subarray(0, bytesRead));
      bytes += bytesRead;
    }
    return { digest: hash.digest('hex'), bytes };
  } finally {
    await handle.close();
  }
}
