import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import type { UploadServerOptions } from '../upload/uploadServer.js';

export type ConflictStrategy = 'skip' | 'error' | 'new' | 'replace';
const STRATEGIES: readonly ConflictStrategy[] = ['skip', 'error', 'new', 'replace'];

/** t9k's upload options (`run.upload()`, and createRun's with `autoUpload`), and the server to upload to. */
export interface T9kUploadOptions extends UploadServerOptions {
  /**
   * The server folder (a project path): `/team/cv/mnist`, or relative to the token's own folder (`cv` is
   * `/<user>/cv`, the user being the token's label). Default 'default'.
   */
  folder?: string;
  /** Make the folder (and its parents) when missing. Default false. */
  makeFolder?: boolean;
  /** When the folder holds a run of the same name: 'skip', 'error', 'new' (default: the alternative name) or 'replace'. */
  conflictStrategy?: ConflictStrategy;
}

/** What run.json keeps of createRun's upload options (`upload`; never the host or token). */
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

/** The error of an upload attempted without a server (no `host`, no RUNLOG_HOST): the run stays local. */
export function needsServerError(what: string): RunlogError {
  return new RunlogError(
    'NEEDS_SERVER',
    `${what} needs a runlog server, and this process has none: the run is recorded in the local store only. Set RUNLOG_HOST and RUNLOG_API_KEY (or pass host and apiKey) to a \`runlog server\`, or leave autoUpload off.`,
  );
}
