import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { StorageError } from '../errors/runlogError.js';
import { decodeJson } from '../values/jsonCodec.js';

function parse(path: string, text: string): unknown {
  try {
    return decodeJson(text);
  } catch (error) {
    throw new StorageError(`${path} is not valid JSON (${(error as Error).message}); the file may be damaged`, error);
  }
}

/** Reads and decodes a JSON document; undefined when the file does not exist. */
export async function readJson<T = unknown>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  return parse(path, text) as T;
}

export function readJsonSync<T = unknown>(path: string): T | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StorageError(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  return parse(path, text) as T;
}
