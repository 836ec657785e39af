import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { SweepConfig } from './sweepConfig.js';
import { SweepConfigError } from './sweepConfigError.js';
import { validateSweepConfig } from './validateSweepConfig.js';
import { resolveWrittenNumbers } from './writtenNumbers.js';

/**
 * Parses a sweep config's YAML or JSON text (JSON is YAML 1.2) and validates it. A range written with a decimal
 * point (`min: 0.0, max: 1.0`) is uniform, one written with integers int_uniform, as in wandb.
 */
export function parseSweepConfig(text: string, source = 'the sweep config'): SweepConfig {
  let document: unknown;
  try {
    document = parse(text, { intAsBigInt: true });
  } catch (error) {
    throw new SweepConfigError('(root)', `${source} is not valid YAML or JSON: ${(error as Error).message}`);
  }
  return validateSweepConfig(resolveWrittenNumbers(document));
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
  return parseSweepConfig(text, path);
}
