import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'yaml';
import type { SweepConfig } from './sweepConfig.js';
import { SweepConfigError } from './sweepConfigError.js';
import { validateSweepConfig } from './validateSweepConfig.js';

/** Parses a sweep config's YAML or JSON text (JSON is YAML) and validates it. */
export function parseSweepConfig(text: string, source = 'the sweep config'): SweepConfig {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new SweepConfigError('(root)', `${source} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return validateSweepConfig(document);
}

/**
 * Reads and validates a sweep config file (.yaml, .yml or .json).
 * @example const config = await loadSweepConfig('sweep.yaml');
 */
export async function loadSweepConfig(path: string): Promise<SweepConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SweepConfigError('(file)', `cannot read ${path}: ${(error as Error).message}`);
  }
  if (extname(path) === '.json') {
    try {
      return validateSweepConfig(JSON.parse(text));
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new SweepConfigError('(root)', `${path} is not valid JSON: ${error.message}`);
      throw error;
    }
  }
  return parseSweepConfig(text, path);
}
