import type { MediaFileRef, MediaRef, MediaValue, MediaWriteContext } from '@runlog/core/browser';
import { sha256Hex } from './sha256.js';

/** Where a run's new files go: their bytes to the page's storage with the next write, their paths to the record. */
export interface FileSink {
  addFile(path: string, sha256: string, bytes: Uint8Array): void;
}

/**
 * The media protocol's write context in a web page (core's media/mediaProtocol.ts): a media value's bytes become a
 * blob named by its sha256 and a file `media/<kind>/<key>_<step>_<sha256 first 20 hex>.<ext>` of the run, as
 * docs/FORMAT.md names them ("Media"), so the server stores the same paths as from a Node run.
 */
export function mediaContext(sink: FileSink, key: string, step: number): MediaWriteContext {
  const context: MediaWriteContext = {
    runDir: '',
    key,
    step,
    async writeMediaFile(kind: string, ext: string, bytes: Uint8Array): Promise<MediaFileRef> {
      const sha256 = await sha256Hex(bytes);
      const path = `media/${kind}/${safeKey(key)}_${step}_${sha256.slice(0, 20)}.${ext}`;
      sink.addFile(path, sha256, bytes);
      return { path, sha256, size: bytes.length };
    },
    writeNested(value: MediaValue): Promise<MediaRef> {
      return value.toMediaRef(context);
    },
  };
  return context;
}

/** A key's `/` become folders; other characters outside `A-Za-z0-9._-` become `_` (docs/FORMAT.md, "Media"). */
function safeKey(key: string): string {
  return key
    .split('/')
    .map((part) => part.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+$/, '_') || '_')
    .join('/');
}
