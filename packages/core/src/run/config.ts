import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { checkKey, encodeValue } from '../history/valueEncoder.js';
import { decodeJson } from '../values/jsonCodec.js';

/**
 * The run's configuration (t9k: hparams): set once, read anywhere. Changing a key that already has a different
 * value throws unless `allowValChange` is passed, as in wandb, so a sweep's settings cannot drift silently.
 * @example
 * run.config.update({ lr: 1e-3, layers: [64, 32] });
 * run.config.get('lr'); // 0.001
 */
export class Config {
  private values: Record<string, unknown> = {};

  constructor(
    private readonly onChange: () => void,
    private readonly guard: (method: string) => void,
  ) {}

  /** Merges `values` in; throws CONFIG_LOCKED for a changed value unless allowValChange. Nothing changes on error. */
  update(values: Record<string, unknown>, options: { allowValChange?: boolean } = {}): void {
    this.guard('config.update');
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new InvalidValueError('config.update takes an object of name -> value', 'INVALID_ARGUMENT');
    }
    const encoded: Array<[string, string]> = [];
    for (const key of Object.keys(values)) {
      checkKey(key, 'config');
      const json = encodeValue(values[key], `config.${key}`);
      if (json === undefined) continue;
      if (!options.allowValChange && Object.hasOwn(this.values, key)) {
        const current = encodeValue(this.values[key], `config.${key}`);
        if (current !== json) {
          throw new RunlogError(
            'CONFIG_LOCKED',
            `config.${key} is already ${current}; refusing to change it to ${json}. Pass { allowValChange: true } to change it on purpose.`,
          );
        }
      }
      encoded.push([key, json]);
    }
    if (encoded.length === 0) return;
    for (const [key, json] of encoded) this.values[key] = decodeJson(json);
    this.onChange();
  }

  set(key: string, value: unknown, options: { allowValChange?: boolean } = {}): void {
    this.update({ [key]: value }, options);
  }

  /** A config value by key, or by dotted path into nested objects ('optimizer.lr'). */
  get(key: string): unknown {
    if (Object.hasOwn(this.values, key)) return this.values[key];
    let current: unknown = this.values;
    for (const part of key.split('.')) {
      if (typeof current !== 'object' || current === null || !Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.values);
  }

  toJSON(): Record<string, unknown> {
    return structuredClone(this.values);
  }

  /** Loads the stored config of a resumed run without the change check. */
  restore(values: Record<string, unknown>): void {
    this.values = { ...values };
  }
}
