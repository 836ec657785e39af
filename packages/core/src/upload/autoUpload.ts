import { RunlogError } from '../errors/runlogError.js';
import type { Run } from '../run/run.js';
import { FolderUpload, type FolderUploadSettings, type UploadableRun } from './folderUpload.js';
import type { UploadServer } from './uploadServer.js';

/** How long an autoUpload waits for a server that does not answer before giving up (createRun, finish). */
const PATIENCE_MS = 30_000;

/**
 * createRun({ autoUpload: true }): decides where the run goes before the run starts, so a refusal (RUN_EXISTS,
 * FOLDER_NOT_FOUND, FORBIDDEN, INVALID_FOLDER) fails createRun itself; a server that cannot be reached is only
 * warned about, and asked again at finish.
 */
export async function planAutoUpload(
  run: UploadableRun,
  settings: FolderUploadSettings,
  server: UploadServer,
  warn: (message: string) => void,
): Promise<FolderUpload> {
  const upload = new FolderUpload(run, settings, server, { retry: { giveUpAfterMs: PATIENCE_MS } });
  try {
    await upload.decide();
  } catch (error) {
    if (!(error instanceof RunlogError) || error.code !== 'SYNC_UNAVAILABLE') throw error;
    warn(`autoUpload: ${error.message}; the run is recorded locally and is uploaded at finish if the server is back`);
  }
  return upload;
}

/**
 * Uploads the run when it finishes: `await run.finish()` returns once the server has it (or after it stopped
 * answering for 30 s: then one warning, and the run stays in the local store). Network trouble never throws out
 * of finish(). This is the interim autoUpload: streaming while the run trains belongs to online mode.
 */
export function uploadAtFinish(run: Run, upload: FolderUpload, warn: (message: string) => void): void {
  const finish = run.finish.bind(run);
  let uploaded: Promise<void> | undefined;
  run.finish = (exitCode?: number) => {
    uploaded ??= finish(exitCode).then(async () => {
      try {
        await upload.upload();
      } catch (error) {
        warn(
          `autoUpload of ${run.path} to folder ${upload.settings.folder} did not complete (${(error as Error).message}); the run is in the local store`,
        );
      }
    });
    return uploaded;
  };
}
