import type { RunView } from '@runlog/core';
import type { LoadMediaFile } from '../images/imageSummaries.js';

/**
 * Reads media files of a stored run, by the run-relative names its history holds, through the store-access seam
 * (a local folder or a server). A name that would leave the run (`../`, an absolute path) is refused by the
 * seam (INVALID_ARGUMENT): history is data, never a way to read other files.
 */
export function runMediaFiles(run: RunView): LoadMediaFile {
  const ref = { project: run.project, id: run.id };
  return async (name: string) => {
    const first = await run.access.readFile(ref, name);
    if (first.bytes.length === first.size) return first.bytes;
    const bytes = new Uint8Array(first.size);
    bytes.set(first.bytes);
    let offset = first.bytes.length;
    while (offset < first.size) {
      const chunk = await run.access.readFile(ref, name, { offset });
      if (chunk.bytes.length === 0) break;
      bytes.set(chunk.bytes, offset);
      offset += chunk.bytes.length;
    }
    return bytes.subarray(0, offset);
  };
}
