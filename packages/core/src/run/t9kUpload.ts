import { InvalidValueError, RunlogError } from '../errors/runlogError.js';

export type ConflictStrategy = 'skip' | 'error' | 'new' | 'replace';
const STRATEGIES: readonly ConflictStrategy[] = ['skip', 'error', 'new', 'replace'];

/** t9k's upload options (`run.upload()`, and createRun's with `autoUpload`). */
export interface T9kUploadOptions {
  /** The server folder; t9k prepends `/<current-user>/` to a relative one. Default 'default'. */
  folder?: string;
  /** Make the folder (and its parents) when missing. Default false. */
  makeFolder?: boolean;
  /** When the folder holds a run of the same name: 'skip', 'error', 'new' (default: the alternative name) or 'replace'. */
  conflictStrategy?: ConflictStrategy;
}

/** What run.json keeps of createRun's upload options (`upload`), for the server sync that will honour them. */
export interface T9kUploadSettings {
  autoUpload: boolean;
  folder: string;
  makeFolder: boolean;
  conflictStrategy: ConflictStrategy;
}

/** Checks t9k's upload options (INVALID_ARGUMENT) and fills in t9k's defaults. */
export function uploadSettings(options: T9kUploadOptions & { autoUpload?: boolean }): T9kUploadSettings {
  if (typeof options !== 'object' || options === null) throw invalid('upload takes an options object');
  const { autoUpload = false, folder = 'default', makeFolder = false, conflictStrategy = 'new' } = options;
  if (typeof autoUpload !== 'boolean') throw invalid('autoUpload must be true or false');
  if (typeof folder !== 'string' || folder.length === 0) throw invalid('folder must be a non-empty string');
  if (typeof makeFolder !== 'boolean') throw invalid('makeFolder must be true or false');
  if (!STRATEGIES.includes(conflictStrategy)) {
    throw invalid(`conflictStrategy must be one of ${STRATEGIES.join(', ')}; got ${JSON.stringify(conflictStrategy)}`);
  }
  return { autoUpload, folder, makeFolder, conflictStrategy };
}

function invalid(message: string): InvalidValueError {
  return new InvalidValueError(message, 'INVALID_ARGUMENT');
}

/**
 * The error of an upload attempted without a server: runlog records locally; uploading is the team server's
 * (`runlog server`, and syncing a local store to it).
 */
export function needsServerError(what: string): RunlogError {
  return new RunlogError(
    'NEEDS_SERVER',
    `${what} needs a runlog server, and this process has none: the run is recorded in the local store only. Start one with \`runlog server\` and sync the store to it, or leave autoUpload off.`,
  );
}
