import type { MediaRef, MediaValue, MediaWriteContext } from '@runlog/core';
import type { LoadMediaFile } from '../images/imageSummaries.js';

/**
 * Encodes a media value a second time, for TensorBoard, keeping the files it would write in memory: the media
 * protocol's `toMediaRef` with a write context whose files are bytes in a map. The reference that comes back
 * names those in-memory files; `load` reads them.
 */
export class CapturedMedia {
  private readonly files = new Map<string, Uint8Array>();
  private counter = 0;

  constructor(
    private readonly runDir: string,
    private readonly key: string,
    private readonly step: number,
  ) {}

  async encode(value: MediaValue | MediaValue[]): Promise<MediaRef> {
    const context = this.context();
    if (!Array.isArray(value)) return value.toMediaRef(context);
    const items = await Promise.all(value.map((item) => item.toMediaRef(context)));
    return { _type: `${value[0].mediaKind}-list`, items };
  }

  readonly load: LoadMediaFile = async (path) => {
    const bytes = this.files.get(path);
    if (bytes === undefined) throw new Error(`no captured media file ${path}`);
    return bytes;
  };

  private context(): MediaWriteContext {
    const context: MediaWriteContext = {
      runDir: this.runDir,
      key: this.key,
      step: this.step,
      writeMediaFile: async (kind, ext, bytes) => {
        const path = `captured/${kind}/${this.counter++}.${ext}`;
        this.files.set(path, bytes);
        return { path, sha256: '', size: bytes.length };
      },
      writeNested: (value) => value.toMediaRef(context),
    };
    return context;
  }
}
