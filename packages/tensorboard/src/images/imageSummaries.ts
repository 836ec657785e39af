import type { JsonObject } from '@runlog/core';
import { drawBoxes } from './boxOverlay.js';
import { colorizeMask } from './maskImage.js';

/** One image summary: encoded images of one tag at one step. */
export interface ImageSummary {
  tag: string;
  width: number;
  height: number;
  encoded: Uint8Array[];
}

/** Reads a media file of a reference by its run-relative path (`media/image/...`). */
export type LoadMediaFile = (path: string) => Promise<Uint8Array>;

/**
 * The image summaries of one logged image or gallery (`image-file` references): the images themselves, byte for
 * byte, under `tag`; each segmentation mask as a colour image under `tag/masks/<name>`; each group of boxes drawn
 * on a copy of the image under `tag/boxes/<name>`.
 */
export async function imageSummaries(tag: string, refs: JsonObject[], load: LoadMediaFile): Promise<ImageSummary[]> {
  const images = await Promise.all(refs.map((ref) => load(String(ref.path))));
  const first = refs[0];
  const summaries: ImageSummary[] = [
    { tag, width: Number(first.width) || 0, height: Number(first.height) || 0, encoded: images },
  ];
  const maskNames = new Set(refs.flatMap((ref) => Object.keys((ref.masks as JsonObject | undefined) ?? {})));
  for (const name of maskNames) {
    const colored = await Promise.all(
      refs
        .map((ref) => ((ref.masks as JsonObject | undefined)?.[name] as JsonObject | undefined)?.path)
        .filter((path): path is string => typeof path === 'string')
        .map(async (path) => colorizeMask(await load(path))),
    );
    if (colored.length === 0) continue;
    summaries.push({
      tag: `${tag}/masks/${name}`,
      width: colored[0].width,
      height: colored[0].height,
      encoded: colored.map((c) => c.png),
    });
  }
  const boxGroups = new Set(refs.flatMap((ref) => Object.keys((ref.boxes as JsonObject | undefined) ?? {})));
  for (const name of boxGroups) {
    const drawn: Uint8Array[] = [];
    for (let i = 0; i < refs.length; i++) {
      const group = (refs[i].boxes as JsonObject | undefined)?.[name] as JsonObject | undefined;
      if (group && Array.isArray(group.boxData)) drawn.push(await drawBoxes(images[i], group.boxData as JsonObject[]));
    }
    if (drawn.length > 0)
      summaries.push({
        tag: `${tag}/boxes/${name}`,
        width: summaries[0].width,
        height: summaries[0].height,
        encoded: drawn,
      });
  }
  return summaries;
}
