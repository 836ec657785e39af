import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { HttpError } from './httpError.js';

const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The absolute path of `name` under `root`, refusing anything that would leave `root`: absolute names, `..`
 * segments, NUL bytes, and symbolic links that point outside (checked on the real paths). 403 when refused,
 * 404 when the file does not exist.
 */
export async function resolveInside(root: string, name: string): Promise<string> {
  if (name.includes('\0') || isAbsolute(name) || /^[A-Za-z]:/.test(name)) {
    throw new HttpError(403, `refused: ${JSON.stringify(name)} is not a path inside the store`);
  }
  const path = resolve(root, name);
  if (!inside(root, path) || relative(root, path).split(/[\\/]/).includes('..')) {
    throw new HttpError(403, `refused: ${JSON.stringify(name)} leaves the store`);
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
  } catch {
    throw new HttpError(404, `no such file: ${name}`);
  }
  if (!inside(realRoot, real)) throw new HttpError(403, `refused: ${JSON.stringify(name)} links outside the store`);
  return real;
}
