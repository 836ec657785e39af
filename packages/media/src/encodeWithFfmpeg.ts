import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaEncodeError } from './errors/mediaEncodeError.js';
import type { VideoFrames } from './videoFrames.js';

// Interleaved frames, and planar ones: ffmpeg's planar RGB formats order their planes G, B, R (then A).
const PACKED_FORMATS = { 1: 'gray', 3: 'rgb24', 4: 'rgba' } as const;
const PLANAR_FORMATS = { 1: 'gray', 3: 'gbrp', 4: 'gbrap' } as const;
const PLANAR_ORDER = { 1: [0], 3: [1, 2, 0], 4: [1, 2, 0, 3] } as const;

/** ffmpeg's rawvideo pixel format for these frames. */
function pixelFormat(frames: VideoFrames): string {
  return (frames.layout === 'TCHW' ? PLANAR_FORMATS : PACKED_FORMATS)[frames.channels];
}

/** The bytes ffmpeg reads, in order: channels-first planes reordered to G, B, R(, A) by reference, never copied. */
function frameChunks(frames: VideoFrames): Uint8Array[] {
  if (frames.layout === 'THWC' || frames.channels === 1) return [frames.data];
  const plane = frames.width * frames.height;
  const chunks: Uint8Array[] = [];
  for (let t = 0; t < frames.frames; t++) {
    for (const c of PLANAR_ORDER[frames.channels]) {
      const start = (t * frames.channels + c) * plane;
      chunks.push(frames.data.subarray(start, start + plane));
    }
  }
  return chunks;
}

/** ffmpeg's output arguments per container: H.264 yuv420p with the index up front, or VP9. */
export const FFMPEG_OUTPUT_ARGS = {
  mp4: ['-c:v', 'libx264', '-preset', 'fast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4'],
  webm: [
    '-c:v',
    'libvpx-vp9',
    '-b:v',
    '0',
    '-crf',
    '34',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-pix_fmt',
    'yuv420p',
    '-f',
    'webm',
  ],
} as const;

/** The ffmpeg arguments that read raw frames from `input` ('pipe:0' for stdin) and write `output`. */
export function ffmpegArgs(
  frames: VideoFrames,
  fps: number,
  format: 'mp4' | 'webm',
  input: string,
  output: string,
): string[] {
  return [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'rawvideo',
    '-pix_fmt',
    pixelFormat(frames),
    '-s',
    `${frames.width}x${frames.height}`,
    '-framerate',
    String(fps),
    '-i',
    input,
    // yuv420p needs even sizes: pad odd ones with one black row or column.
    '-vf',
    'pad=ceil(iw/2)*2:ceil(ih/2)*2',
    ...FFMPEG_OUTPUT_ARGS[format],
    '-y',
    output,
  ];
}

/**
 * Encodes frames with ffmpeg, piping the raw frames to its stdin (no image files). The container is written to a
 * temporary file (MP4's faststart and WebM's duration need a seekable output), read back and removed.
 */
export async function encodeWithFfmpeg(
  ffmpeg: string,
  frames: VideoFrames,
  fps: number,
  format: 'mp4' | 'webm',
): Promise<Uint8Array> {
  const output = join(tmpdir(), `runlog-video-${process.pid}-${randomBytes(6).toString('hex')}.${format}`);
  try {
    await runFfmpeg(ffmpeg, ffmpegArgs(frames, fps, format, 'pipe:0', output), frameChunks(frames));
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(output, { force: true });
  }
}

function runFfmpeg(ffmpeg: string, args: string[], stdin: Uint8Array[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    // ffmpeg exiting early closes the pipe; the exit code and stderr explain why, so ignore EPIPE here.
    child.stdin.on('error', () => {});
    child.on('error', (error) =>
      reject(new MediaEncodeError(`Video: cannot run ffmpeg (${ffmpeg}): ${error.message}`, { cause: error })),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new MediaEncodeError(
            `Video: ffmpeg failed (${signal ?? `exit code ${code}`}): ${stderr.trim() || 'no message'}`,
          ),
        );
    });
    for (const chunk of stdin) child.stdin.write(chunk);
    child.stdin.end();
  });
}
