import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fresh temp folder with a store inside and helpers to write input files; `cleanup()` removes it. */
export function makeFixture(prefix = 'runlog-art-') {
  const base = mkdtempSync(join(tmpdir(), prefix));
  const storeDir = join(base, 'store');
  const write = (relativePath: string, content: string | Uint8Array) => {
    const path = join(base, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  };
  return {
    base,
    storeDir,
    write,
    path: (p: string) => join(base, p),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
