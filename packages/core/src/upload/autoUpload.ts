import { RunlogError } from '../errors/runlogError.js';
import { startOnlineSync } from '../online/startOnlineSync.js';
import type { Run } from '../run/run.js';
import { FolderUpload, type FolderUploadSettings, type UploadableRun } from './folderUpload.js';
import { retargetedArtifacts, uploadedRecord } from './retargetedSource.js';
import type { UploadServer } from './uploadServer.js';

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
  patienceMs: number,
): Promise<FolderUpload> {
  // A server that does not answer within patienceMs (settings.syncTimeoutMs) is asked again at finish.
  const upload = new FolderUpload(run, settings, server, { retry: { giveUpAfterMs: patienceMs } });
  try {
    await upload.decide();
  } catch (error) {
    if (!(error instanceof RunlogError) || error.code !== 'SYNC_UNAVAILABLE') throw error;
    warn(`autoUpload: ${error.message}; the run is recorded locally and is uploaded at finish if the server is back`);
  }
  return upload;
}

/**
 * createRun({ autoUpload: true }) once the run exists: streams it into the folder decided by planAutoUpload while
 * it trains, with online mode's background syncer (never blocking log(); finish() waits for it up to
 * settings.syncTimeoutMs). A replace streams into its staging run and is swapped in once finish() has sent
 * everything; if it has not, the server keeps its old copy. When the server could not be asked at createRun,
 * the whole upload happens at finish.
 */
export function startAutoUpload(run: Run, upload: FolderUpload, warn: (message: string) => void): void {
  const plan = upload.plan;
  if (!plan) {
    uploadAtFinish(run, upload, warn);
    return;
  }
  if (plan.action === 'skip') return;
  const target = upload.target(plan);
  const from = { project: run.project, id: run.id };
  const link = startOnlineSync(run, {
    host: upload.server.hosts[0],
    apiKey: upload.server.apiKey,
    project: target.project,
    runId: target.sendTo,
    runJson: uploadedRecord(from, target),
    mapArtifacts: (versions) => retargetedArtifacts(versions, from, target),
  });
  if (plan.action !== 'replace') return;
  afterFinish(
    run,
    async () => {
      if (link.status().state !== 'done') {
        warn(
          `autoUpload: run ${run.path} was not all sent, so it does not replace ${plan.project}/${plan.runId} in folder ${plan.folder}: the server keeps its old copy`,
        );
        return;
      }
      await upload.complete();
    },
    warn,
  );
}

/** The upload of a run whose server could not be asked at createRun: all of it when the run finishes. */
function uploadAtFinish(run: Run, upload: FolderUpload, warn: (message: string) => void): void {
  afterFinish(
    run,
    async () => {
      await upload.upload();
    },
    warn,
  );
}

/**
 * Runs `work` after the run's own finish, inside the promise finish() returns (module-level finish() and
 * `await using` included). Its failure is one warning, never an exception out of finish().
 */
function afterFinish(run: Run, work: () => Promise<void>, warn: (message: string) => void): void {
  const finish = run.finish.bind(run);
  let ending: Promise<void> | undefined;
  run.finish = (exitCode?: number) => {
    ending ??= finish(exitCode).then(async () => {
      try {
        await work();
      } catch (error) {
        warn(`autoUpload of ${run.path} did not complete (${(error as Error).message}); the run is in the local store`);
      }
    });
    return ending;
  };
}
