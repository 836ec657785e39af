import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from '../media/mediaProtocol.js';
import { atomicWriteFile } from '../storage/atomicWrite.js';

/** A log key as a relative file path: its '/' become folders, anything else unusual becomes '_'. */
export function keyToFilePath(key: string): string {
  return key
    .split('/')
    .map((segment) => {
      const safe = segment.replace(/[^A-Za-z0-9._-]/g, '_');
      return safe === '' || safe === '.' || safe === '..' ? safe.replace(/\./g, '_') || '_' : safe;
    })
    .join('/');
}

/** Writes the files of media values into a run folder, as the media protocol's MediaWriteContext. */
export class MediaFiles {
  private readonly madeDirs = new Set<string>();

  constructor(private readonly runDir: string) {}

  context(key: string, step: number): MediaWriteContext {
    const context: MediaWriteContext = {
      runDir: this.runDir,
      key,
      step,
      writeMediaFile: (kind, ext, bytes) => this.write(kind, ext, bytes, key, step),
      writeNested: (value: MediaValue): Promise<MediaRef> => value.toMediaRef(context),
    };
    return context;
  }

  private async write(kind: string, ext: string, bytes: Uint8Array, key: string, step: number): Promise<MediaFileRef> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const cleanKind = keyToFilePath(kind).replace(/\//g, '_');
    const cleanExt = ext.replace(/^\./, '').replace(/[^A-Za-z0-9]/g, '');
    const path = `media/${cleanKind}/${keyToFilePath(key)}_${step}_${sha256.slice(0, 20)}.${cleanExt}`;
    const absolute = join(this.runDir, path);
    const folder = dirname(absolute);
    if (!this.madeDirs.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.madeDirs.add(folder);
    }
    // The name holds the content hash: an existing file already has these bytes. No fsync: history records the
    // sha256, so a file torn by a power cut is detectable, and a burst of images is not paced by the disk.
    if (!existsSync(absolute)) await atomicWriteFile(absolute, bytes, { fsync: false });
    return { path, sha256, size: bytes.length };
  }
}
