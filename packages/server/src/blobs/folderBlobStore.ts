import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServerError } from '../http/serverError.js';
import { type BlobStore, blobKey, type UploadRecord } from './blobStore.js';
import { HashingReader, hashStream } from './hashingReader.js';

/** Staging keys and upload ids are made here, never taken from a request: they are safe path segments. */
function randomName(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Blobs in a folder: `<root>/sha256/<2 hex>/<62 hex>`, staging files in `<root>/staging/`, upload parts in
 * `<root>/uploads/<id>/<n>`. Parts come through the server (`PUT /api/v1/uploads/<id>/parts/<n>`).
 */
export function folderBlobStore(root: string): BlobStore {
  const staging = (key: string) => join(root, 'staging', key);
  const partsDir = (upload: UploadRecord) => join(root, 'uploads', upload.id);
  const partFile = (upload: UploadRecord, n: number) => join(partsDir(upload), String(n));

  async function writeHashed(body: Readable, path: string, maxBytes: number, size?: number) {
    await mkdir(dirname(path), { recursive: true });
    const hasher = new HashingReader(maxBytes, size);
    try {
      await pipeline(body, hasher, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { size: hasher.size, sha256: hasher.digest() };
  }

  return {
    kind: 'folder',
    async stage(body, size, maxBytes) {
      const key = randomName();
      return { key, ...(await writeHashed(body, staging(key), maxBytes, size)) };
    },
    async promote(stagingKey, sha256) {
      const target = join(root, blobKey(sha256));
      await mkdir(dirname(target), { recursive: true });
      // rename replaces atomically: a reader sees the old bytes or the new ones, and both are the same content.
      await rename(staging(stagingKey), target);
    },
    discard: (stagingKey) => rm(staging(stagingKey), { force: true }),
    async hashStaged(stagingKey) {
      return hashStream(createReadStream(staging(stagingKey)));
    },
    exists: (sha256) =>
      access(join(root, blobKey(sha256))).then(
        () => true,
        () => false,
      ),
    async read(sha256, range) {
      const path = join(root, blobKey(sha256));
      await access(path).catch(() => {
        throw new ServerError(404, 'NOT_FOUND', `blob ${sha256} is not in storage`);
      });
      return createReadStream(path, range);
    },
    presignedGet: async () => undefined,
    async createUpload() {
      return null;
    },
    async partTarget(upload, number) {
      return {
        url: `/api/v1/uploads/${upload.id}/parts/${number}`,
        headers: { 'content-type': 'application/octet-stream' },
      };
    },
    async writePart(upload, number, body, size) {
      const tmp = `${partFile(upload, number)}.tmp-${randomName()}`;
      const written = await writeHashed(body, tmp, size, size);
      await rename(tmp, partFile(upload, number));
      return { etag: `"${number}-${written.size}"`, size: written.size };
    },
    async assemble(upload, parts) {
      const target = staging(upload.stagingKey);
      await mkdir(dirname(target), { recursive: true });
      const out = createWriteStream(target);
      try {
        for (const part of parts) await pipeline(createReadStream(partFile(upload, part.number)), out, { end: false });
      } finally {
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      }
      await rm(partsDir(upload), { recursive: true, force: true });
    },
    async abortUpload(upload) {
      await rm(partsDir(upload), { recursive: true, force: true });
      await rm(staging(upload.stagingKey), { force: true });
    },
    close: async () => {},
  };
}
