import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from '@runlog/core';

/**
 * A real MediaWriteContext over a temporary run folder, following core's writeMediaFile contract
 * (docs/FORMAT.md, "Media"): media/<kind>/<key>_<step>_<sha256 first 20 hex>.<ext>, '/' in keys become folders,
 * atomic temp + rename, identical bytes written once. Used until (and besides) the engine's end-to-end tests.
 */
export class MediaTestContext implements MediaWriteContext {
  readonly runDir: string;
  readonly written: MediaFileRef[] = [];

  constructor(
    readonly key = 'media',
    readonly step = 0,
    runDir?: string,
  ) {
    this.runDir = runDir ?? mkdtempSync(join(tmpdir(), 'runlog-media-'));
  }

  /** The same run folder for another key or step. */
  at(key: string, step = this.step): MediaTestContext {
    return new MediaTestContext(key, step, this.runDir);
  }

  async writeMediaFile(kind: string, ext: string, bytes: Uint8Array): Promise<MediaFileRef> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // As core: a kind is one folder, an extension is letters and digits only, a key's unusual characters are '_'.
    const safe = (text: string) => text.replace(/[^A-Za-z0-9._/-]/g, '_');
    const cleanKind = safe(kind).replace(/\//g, '_');
    const cleanExt = ext.replace(/^\./, '').replace(/[^A-Za-z0-9]/g, '');
    const path = `media/${cleanKind}/${safe(this.key)}_${this.step}_${sha256.slice(0, 20)}.${cleanExt}`;
    const absolute = join(this.runDir, path);
    await mkdir(dirname(absolute), { recursive: true });
    const temp = `${absolute}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    await writeFile(temp, bytes);
    await rename(temp, absolute);
    const ref = { path, sha256, size: bytes.byteLength };
    this.written.push(ref);
    return ref;
  }

  writeNested(value: MediaValue): Promise<MediaRef> {
    return value.toMediaRef(this);
  }

  resolve(path: string): string {
    return join(this.runDir, path);
  }

  dispose(): void {
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
