import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Artifact, type JsonObject, type Run } from '@runlog/core';
import type { io } from '@tensorflow/tfjs-core';
import { CheckpointCallback, type CheckpointOptions } from './checkpointCallback.js';
import { modelDirHandler } from './modelDirHandler.js';

export type ModelCheckpointOptions = CheckpointOptions<Run>;

/**
 * Saves the model at epoch ends as versions of a model artifact (type 'model'): the files tfjs-node's file://
 * writes (model.json + weights.bin), aliases `latest`, `epoch-<N>` (N as in `epoch/epoch`, from 0) and `best`
 * when the monitored value improved, and `{ epoch, monitor, value, mode, best, logs }` in the version metadata.
 * The weights are captured at the epoch end; the files are written and logged in the background, in order,
 * while training goes on. Training end does not wait for the last one (fit returns at once, as wandb's
 * uploads do): `run.flush()`, `run.finish()`, `settled()` and lookups by name (`loadModel(run, '<name>:best')`)
 * do. A core callback (fitStart with the `model`, trainEpochEnd); it emits `saveCheckpoint` when a version is
 * committed.
 */
export class ModelCheckpoint extends CheckpointCallback<Run> {
  protected async logCheckpoint(artifacts: io.ModelArtifacts, aliases: string[], metadata: JsonObject) {
    const run = this.run;
    const dir = await mkdtemp(join(run.dir, '.checkpoint-'));
    try {
      await modelDirHandler(dir).save!(artifacts);
      const artifact = new Artifact(this.name, 'model', { metadata });
      await artifact.addDir(dir);
      return await run.logArtifact(artifact, { aliases });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
