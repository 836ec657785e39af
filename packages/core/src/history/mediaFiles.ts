import { createHash } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
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

/** Longest folder or name a key contributes to a media file's path, and longest path it contributes in all. */
const MAX_KEY_SEGMENT = 64;
const MAX_KEY_PATH = 160;
/** Characters of a long key kept readable before its hash. */
const LONG_KEY_HEAD = 40;

/**
 * A key as the folders and name stem of its media files, bounded so a long but valid key never makes a name the
 * file system refuses (ENAMETOOLONG: 255 bytes a name, 4 KiB a path). A key within the bounds keeps its
 * `keyToFilePath` form; a longer one becomes one name, its first characters then a hash of the whole key (so two
 * long keys never share files).
 */
export function mediaKeyPath(key: string): string {
  const path = keyToFilePath(key);
  if (path.length <= MAX_KEY_PATH && path.split('/').every((segment) => segment.length <= MAX_KEY_SEGMENT)) {
    return path;
  }
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `${path.replace(/\//g, '_').slice(0, LONG_KEY_HEAD)}-${hash}`;
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
    const cleanKind = mediaKeyPath(kind).replace(/\//g, '_');
    const cleanExt = ext
      .replace(/^\./, '')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 16);
    const path = `media/${cleanKind}/${mediaKeyPath(key)}_${step}_${sha256.slice(0, 20)}.${cleanExt}`;
    const absolute = join(this.runDir, path);
    const folder = dirname(absolute);
    if (!this.madeDirs.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.madeDirs.add(folder);
    }
    await writeContentAddressed(absolute, bytes);
    return { path, sha256, size: bytes.length };
  }
}

/**
 * Writes a file whose name holds its content hash straight to that name (one open, one write, one close: a
 * burst of 1,000 images is bound by file creation). No temp file is needed for readers: history references a
 * media file only after it is written, so a file torn by a crash is referenced by nothing. Should the same name
 * exist (same bytes logged again, or such a torn leftover), it is kept when its size matches and otherwise
 * replaced atomically. No fsync: history records the sha256, so a file torn by a power cut is detectable.
 */
async function writeContentAddressed(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFile(path, bytes, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = await stat(path);
    if (existing.size !== bytes.length) await atomicWriteFile(path, bytes, { fsync: false });
  }
}
