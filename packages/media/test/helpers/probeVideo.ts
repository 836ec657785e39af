import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface VideoProbe {
  codec: string;
  pixelFormat: string;
  width: number;
  height: number;
  durationSeconds: number;
  frames: number;
}

/** What ffprobe would say, from `ffmpeg -i` (stream line, duration) and a stream copy to null (frame count). */
export function probeVideo(ffmpeg: string, path: string): VideoProbe {
  const info = spawnSync(ffmpeg, ['-hide_banner', '-i', path], { encoding: 'utf8' }).stderr;
  const stream = /Stream #0:0.*?: Video: (\w+)[^,]*, (\w+)[^,]*, (\d+)x(\d+)/.exec(info);
  const duration = /Duration: (\d+):(\d+):([\d.]+)/.exec(info);
  if (!stream || !duration) throw new Error(`ffmpeg could not read ${path}:\n${info}`);
  const copy = spawnSync(ffmpeg, ['-hide_banner', '-i', path, '-map', '0:v:0', '-c', 'copy', '-f', 'null', '-'], {
    encoding: 'utf8',
  }).stderr;
  const frames = [...copy.matchAll(/frame=\s*(\d+)/g)].at(-1);
  return {
    codec: stream[1],
    pixelFormat: stream[2],
    width: Number(stream[3]),
    height: Number(stream[4]),
    durationSeconds: Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]),
    frames: frames ? Number(frames[1]) : Number.NaN,
  };
}

/** Top-level MP4 box types in file order (faststart puts 'moov' before 'mdat'). */
export function mp4TopLevelBoxes(path: string): string[] {
  const bytes = readFileSync(path);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    boxes.push(type);
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}
