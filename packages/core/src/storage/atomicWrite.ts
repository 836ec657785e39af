import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { encodeJson } from '../values/jsonCodec.js';

const tempName = (path: string) => `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Writes `data` to `path` so a reader sees the old or the new content, never a mix: temp file, fsync, rename.
 * `fsync: false` skips the flush to the device, for content-addressed files whose recorded sha256 already
 * detects a file torn by a power cut (media): a reader still never sees a half-written file.
 */
export async function atomicWriteFile(
  path: string,
  data: string | Uint8Array,
  options: { fsync?: boolean } = {},
): Promise<void> {
  const temp = tempName(path);
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(data);
      if (options.fsync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}

/** The synchronous twin, for signal and exit handlers that cannot wait for promises. */
export function atomicWriteFileSync(path: string, data: string | Uint8Array): void {
  const temp = tempName(path);
  try {
    const fd = openSync(temp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Atomic JSON document write, with NaN, ±Infinity, -0 and dates encoded as docs/FORMAT.md says. */
export function atomicWriteJson(path: string, value: unknown): Promise<void> {
  return atomicWriteFile(path, `${encodeJson(value, 2)}\n`);
}

export function atomicWriteJsonSync(path: string, value: unknown): void {
  atomicWriteFileSync(path, `${encodeJson(value, 2)}\n`);
}
