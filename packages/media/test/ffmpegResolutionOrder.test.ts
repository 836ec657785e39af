/**
 * ffmpeg's resolution order (issue #20 keeps it while ffmpeg-static becomes optional): FFMPEG_PATH, then the
 * ffmpeg-static binary, then @ffmpeg-installer/ffmpeg, then `ffmpeg` on the PATH; a place whose file is missing
 * or not executable is skipped (an ffmpeg-static whose download failed exports a path with no file behind it).
 * Real files in a temp folder; the installed-package side is covered by test/packaging/consumer.test.ts.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DependencyMissingError, type FfmpegSearch, resolveFfmpeg } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'runlog-ffmpeg-order-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function executable(...path: string[]): string {
  const file = join(root, ...path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

const place = {
  env: executable('env', 'ffmpeg'),
  static: executable('static', 'ffmpeg'),
  installer: executable('installer', 'ffmpeg'),
  pathDir: join(executable('bin', 'ffmpeg'), '..'),
};

function search(present: Partial<Record<keyof typeof place, boolean>>): FfmpegSearch {
  return {
    env: { FFMPEG_PATH: present.env ? place.env : undefined, PATH: present.pathDir ? place.pathDir : '' },
    ffmpegStatic: () => (present.static ? place.static : undefined),
    ffmpegInstaller: () => (present.installer ? place.installer : undefined),
  };
}

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH, then ffmpeg-static, then @ffmpeg-installer/ffmpeg, then the PATH', () => {
    expect(resolveFfmpeg(search({ env: true, static: true, installer: true, pathDir: true }))).toBe(place.env);
    expect(resolveFfmpeg(search({ static: true, installer: true, pathDir: true }))).toBe(place.static);
    expect(resolveFfmpeg(search({ installer: true, pathDir: true }))).toBe(place.installer);
    expect(resolveFfmpeg(search({ pathDir: true }))).toBe(join(place.pathDir, 'ffmpeg'));
  });

  it('skips an ffmpeg-static whose binary was never downloaded, and a file that is not executable', () => {
    const notDownloaded: FfmpegSearch = {
      ...search({ installer: true }),
      ffmpegStatic: () => join(root, 'never-downloaded', 'ffmpeg'),
    };
    expect(resolveFfmpeg(notDownloaded)).toBe(place.installer);
    const plain = executable('plain', 'ffmpeg');
    chmodSync(plain, 0o644);
    expect(resolveFfmpeg({ ...search({ pathDir: true }), env: { FFMPEG_PATH: plain, PATH: place.pathDir } })).toBe(
      join(place.pathDir, 'ffmpeg'),
    );
  });

  it('throws DEPENDENCY_MISSING when no place has an executable ffmpeg', () => {
    let error: unknown;
    try {
      resolveFfmpeg(search({}));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DependencyMissingError);
    expect((error as DependencyMissingError).code).toBe('DEPENDENCY_MISSING');
    expect((error as Error).message).toMatch(/FFMPEG_PATH.*ffmpeg-static.*@ffmpeg-installer\/ffmpeg.*PATH/s);
  });
});
