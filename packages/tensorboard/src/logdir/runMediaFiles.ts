import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { InvalidValueError } from '@runlog/core';
import type { LoadMediaFile } from '../images/imageSummaries.js';

/**
 * Reads media files of a stored run by the run-relative paths its history holds. A path that would leave the run
 * folder (`../`, an absolute path) is refused: history is data, never a way to read other files.
 */
export function runMediaFiles(runDir: string): LoadMediaFile {
  const root = resolve(runDir);
  return async (path: string) => {
    const absolute = resolve(root, path);
    if (!absolute.startsWith(root + sep)) {
      throw new InvalidValueError(`media path ${JSON.stringify(path)} leaves the run folder: refused`);
    }
    const bytes = await readFile(absolute);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  };
}
