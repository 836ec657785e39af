import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { DependencyMissingError } from './errors/dependencyMissingError.js';

/** Where to look for ffmpeg; the defaults read the process environment and the installed packages. */
export interface FfmpegSearch {
  env: Record<string, string | undefined>;
  /** The path ffmpeg-static exports (its binary may be missing when its download was skipped). */
  ffmpegStatic: () => string | undefined;
  /** The path @ffmpeg-installer/ffmpeg exports. */
  ffmpegInstaller: () => string | undefined;
}

function loadPackage(name: string): unknown {
  try {
    return createRequire(import.meta.url)(name);
  } catch {
    return undefined;
  }
}

export const defaultFfmpegSearch: FfmpegSearch = {
  env: process.env,
  ffmpegStatic: () => {
    const exported = loadPackage('ffmpeg-static');
    return typeof exported === 'string' ? exported : undefined;
  },
  ffmpegInstaller: () => {
    const exported = loadPackage('@ffmpeg-installer/ffmpeg') as { path?: unknown } | undefined;
    return typeof exported?.path === 'string' ? exported.path : undefined;
  },
};

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

let resolvedDefault: string | undefined;

/**
 * The ffmpeg binary to run, looked for in order: the FFMPEG_PATH environment variable, the ffmpeg-static binary
 * (if its file exists), @ffmpeg-installer/ffmpeg, `ffmpeg` on the PATH. Throws a DependencyMissingError naming
 * every place looked. The default search is cached once it succeeds.
 */
export function resolveFfmpeg(search: FfmpegSearch = defaultFfmpegSearch): string {
  if (search === defaultFfmpegSearch && resolvedDefault) return resolvedDefault;
  const looked: string[] = [];
  const candidates: [string, () => string | undefined][] = [
    ['the FFMPEG_PATH environment variable', () => search.env.FFMPEG_PATH || undefined],
    ['the ffmpeg-static package', search.ffmpegStatic],
    ['the @ffmpeg-installer/ffmpeg package', search.ffmpegInstaller],
    ['ffmpeg on the PATH', () => findOnPath(search.env.PATH ?? '')],
  ];
  for (const [place, find] of candidates) {
    const path = find();
    if (path && isExecutableFile(path)) {
      if (search === defaultFfmpegSearch) resolvedDefault = path;
      return path;
    }
    looked.push(path ? `${place} (${path}: no executable file there)` : `${place} (not set or not installed)`);
  }
  throw new DependencyMissingError(
    `ffmpeg is needed for MP4 and WebM video but was not found. Looked at: ${looked.join('; ')}. ` +
      'Install ffmpeg, set FFMPEG_PATH, or log the video as GIF or WebP (no ffmpeg needed).',
  );
}

function findOnPath(pathVariable: string): string | undefined {
  const names = process.platform === 'win32' ? ['ffmpeg.exe', 'ffmpeg'] : ['ffmpeg'];
  for (const dir of pathVariable.split(delimiter)) {
    if (!dir) continue;
    for (const name of names) {
      const candidate = join(dir, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}
