import type { MediaRef, MediaValue } from '../media/mediaProtocol.js';
import type { Summary } from '../summary/summary.js';
import type { RowKey } from './historyWriter.js';
import type { MediaFiles } from './mediaFiles.js';
import type { MediaSlotValue } from './valueEncoder.js';

/** A media value (or a gallery of them) logged under a key, waiting for its row to be committed. */
export interface PendingMedia {
  key: RowKey;
  value: MediaSlotValue;
}

/**
 * Turns a row's media values into the row's media members, `,"key":{ref}`: each value writes its files (through
 * MediaFiles) and returns its reference, which the summary then sees as the key's value. A value that fails is
 * reported and left out of the row; the rest of the row is written.
 */
export class MediaMembers {
  private encoding = 0;

  constructor(
    private readonly files: MediaFiles,
    private readonly summary: Summary,
    private readonly reportError: (error: unknown, context: string) => void,
  ) {}

  /** Media values still encoding. */
  get pending(): number {
    return this.encoding;
  }

  /** The JSON text of the media members of the row at `step`, once every value is encoded. */
  encode(step: number, media: readonly PendingMedia[]): Promise<string> {
    this.encoding += media.length;
    return Promise.all(
      media.map(async ({ key, value }) => {
        try {
          const json = JSON.stringify(await this.toRef(key.key, step, value));
          this.summary.observeJson(key.summary, json);
          return key.prefix + json;
        } catch (error) {
          this.reportError(error, `encoding media "${key.key}" at step ${step}`);
          return '';
        } finally {
          this.encoding--;
        }
      }),
    ).then((members) => members.join(''));
  }

  private async toRef(key: string, step: number, value: MediaSlotValue): Promise<MediaRef> {
    const context = this.files.context(key, step);
    if (!Array.isArray(value)) return value.toMediaRef(context);
    const items = await Promise.all(value.map((item: MediaValue) => item.toMediaRef(context)));
    return { _type: `${value[0].mediaKind}-list`, items };
  }
}
