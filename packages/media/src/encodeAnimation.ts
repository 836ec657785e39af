import sharp from 'sharp';
import { sharpSlots } from './encodeSlots.js';
import { channelsLast, type VideoFrames } from './videoFrames.js';

/** An animated GIF or WebP through sharp: the frames stacked vertically, one page each (`raw.pageHeight`). */
export async function encodeAnimation(frames: VideoFrames, format: 'gif' | 'webp', fps: number): Promise<Uint8Array> {
  // GIF stores delays in whole centiseconds: round to one rather than let the encoder truncate.
  const ms = format === 'gif' ? Math.max(10, Math.round(100 / fps) * 10) : Math.round(1000 / fps);
  const delay = new Array<number>(frames.frames).fill(ms);
  const pipeline = sharp(channelsLast(frames), {
    raw: {
      width: frames.width,
      height: frames.height * frames.frames,
      channels: frames.channels,
      pageHeight: frames.height,
    },
  });
  const output = format === 'gif' ? pipeline.gif({ delay, loop: 0 }) : pipeline.webp({ delay, loop: 0 });
  const buffer = await sharpSlots.run(() => output.toBuffer());
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
