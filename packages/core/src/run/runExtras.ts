import type { T9kUploadSettings } from './t9kUpload.js';

/**
 * What t9k's createRun records besides init's options (run.json's `alternativeName` and `upload`). Handed to init
 * under this symbol, so init's public options stay wandb's.
 */
export const RUN_EXTRAS = Symbol('runlog.runExtras');

export interface RunExtras {
  alternativeName?: string;
  upload?: T9kUploadSettings;
}

/** The extras an init call was given (none for a plain init). */
export function runExtras(options: object): RunExtras {
  return (options as { [RUN_EXTRAS]?: RunExtras })[RUN_EXTRAS] ?? {};
}
