import type { HparamValue } from '../proto/hparamsProto.js';

/**
 * A run's config as the hparams plugin's hyperparameters: nested objects flattened to '.'-joined names (runlog's
 * key paths); numbers, strings and booleans as they are; anything else (lists, null) as its JSON text.
 */
export function hparamsFromConfig(
  config: Record<string, unknown>,
  prefix = '',
  into: Record<string, HparamValue> = {},
) {
  for (const [key, value] of Object.entries(config)) {
    const name = prefix + key;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') into[name] = value;
    else if (typeof value === 'bigint') into[name] = Number(value);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
      hparamsFromConfig(value as Record<string, unknown>, `${name}.`, into);
    else if (value !== undefined) into[name] = JSON.stringify(value) ?? String(value);
  }
  return into;
}
