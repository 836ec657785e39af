import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import type { Run } from './run.js';

/** `init({ settings: { tensorboard } })`: mirror the run into TensorBoard event files as it is logged. */
export interface TensorboardSettings {
  /** TensorBoard's logdir: the run is written to `<logdir>/<run name>/events.out.tfevents.*`. */
  logdir: string;
  /** Scalars as float64 tensors (TensorBoard's current form, default) or float32 `simple_value`s. */
  scalars?: 'tensor' | 'simple_value';
}

/** What init uses of @runlog/tensorboard. Core never imports that package statically (it depends on core). */
export interface TensorboardModule {
  tensorboardSink(run: Run, logdir: string, options?: { scalars?: 'tensor' | 'simple_value' }): unknown;
  syncTensorboard(run: Run, logdir: string): unknown;
}

const PACKAGE = '@runlog/tensorboard';

export function checkTensorboardOptions(settings: TensorboardSettings | false, syncLogdir: unknown): void {
  if (settings !== false && (typeof settings !== 'object' || settings === null || typeof settings.logdir !== 'string'))
    throw new InvalidValueError('settings.tensorboard must be { logdir: string }', 'INVALID_ARGUMENT');
  if (syncLogdir !== undefined && typeof syncLogdir !== 'string')
    throw new InvalidValueError('init option syncTensorboard must be the path of a logdir', 'INVALID_ARGUMENT');
}

/** The ES module entry of @runlog/tensorboard as installed for the file `base`, or undefined. */
function entryFrom(base: string): string | undefined {
  try {
    const manifestPath = createRequire(base).resolve(`${PACKAGE}/package.json`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const entry = manifest.exports?.['.']?.import?.default ?? manifest.module ?? manifest.main;
    return typeof entry === 'string' ? pathToFileURL(join(dirname(manifestPath), entry)).href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads @runlog/tensorboard when init is asked for TensorBoard: from where core is installed, else from the
 * application (its working directory, its main script). Missing: DEPENDENCY_MISSING, before any run is created.
 */
export async function loadTensorboard(option: string): Promise<TensorboardModule> {
  const name: string = PACKAGE; // a variable: bundlers and type checking leave the optional package alone
  try {
    return (await import(/* @vite-ignore */ name)) as TensorboardModule;
  } catch (error) {
    const bases = [join(process.cwd(), 'package.json'), process.argv[1]].filter((base) => typeof base === 'string');
    for (const base of bases) {
      const entry = entryFrom(base);
      if (entry) return (await import(/* @vite-ignore */ entry)) as TensorboardModule;
    }
    throw new RunlogError(
      'DEPENDENCY_MISSING',
      `init's ${option} needs the ${PACKAGE} package: npm install ${PACKAGE}`,
      {
        cause: error,
      },
    );
  }
}

/** Starts what init was asked for: the live sink, the logdir tail, or both. */
export function attachTensorboard(
  module: TensorboardModule,
  run: Run,
  settings: TensorboardSettings | false,
  syncLogdir: string | undefined,
): void {
  if (settings !== false) module.tensorboardSink(run, settings.logdir, { scalars: settings.scalars });
  if (syncLogdir !== undefined) module.syncTensorboard(run, syncLogdir);
}
