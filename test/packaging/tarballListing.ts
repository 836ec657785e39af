/**
 * The files inside an npm tarball (gzipped ustar), read without a `tar` binary: each entry is a 512-byte
 * header (name at 0, size in octal at 124, type flag at 156, ustar prefix at 345) then the data, padded to 512.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  /** The path inside the package (npm's leading `package/` removed). */
  path: string;
  size: number;
  bytes: Buffer;
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

export function tarballFiles(tarballPath: string): TarEntry[] {
  const tar = gunzipSync(readFileSync(tarballPath));
  const entries: TarEntry[] = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = field(header, 0, 100);
    if (name === '') break; // the two zero blocks that end the archive
    const size = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
    const type = field(header, 156, 1);
    const prefix = field(header, 345, 155);
    const path = (prefix ? `${prefix}/${name}` : name).replace(/^[^/]+\//, '');
    if (type === '0' || type === '')
      entries.push({ path, size, bytes: tar.subarray(offset + 512, offset + 512 + size) });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}
