import { MEDIA_VALUE, type MediaRef, type MediaValue, type MediaWriteContext } from '@runlog/core/browser';

/**
 * Base of every @runlog/media type: marks the value as a media value for core. Subclasses validate their
 * input in the constructor (throwing MediaInvalidError) and do the expensive encoding only in `toMediaRef`.
 */
export abstract class Media implements MediaValue {
  readonly [MEDIA_VALUE] = true as const;
  abstract readonly mediaKind: string;
  abstract toMediaRef(context: MediaWriteContext): Promise<MediaRef>;
}
