import type { RunArtifacts } from '../artifacts/runArtifacts.js';
import { RunIdentity } from './runIdentity.js';

/**
 * The Run's artifact and model-registry methods (wandb's and t9k's names), each handed to RunArtifacts
 * (packages/core/src/artifacts) after the lifecycle's check. A base class so run.ts stays a short facade.
 */
export abstract class RunArtifactMethods extends RunIdentity {
  /** The artifacts, for a call that may still log or use one (throws once the run cannot). */
  protected abstract openArtifacts(method: string): RunArtifacts;

  logArtifact(...args: Parameters<RunArtifacts['logArtifact']>): ReturnType<RunArtifacts['logArtifact']> {
    return this.openArtifacts('logArtifact').logArtifact(...args);
  }
  useArtifact(...args: Parameters<RunArtifacts['useArtifact']>): ReturnType<RunArtifacts['useArtifact']> {
    return this.openArtifacts('useArtifact').useArtifact(...args);
  }
  /** t9k: marks an artifact as an output of this run (logs it). */
  markOutput(...args: Parameters<RunArtifacts['logArtifact']>): ReturnType<RunArtifacts['logArtifact']> {
    return this.openArtifacts('markOutput').logArtifact(...args);
  }
  /** t9k: marks an artifact as an input of this run (uses it). */
  markInput(...args: Parameters<RunArtifacts['useArtifact']>): ReturnType<RunArtifacts['useArtifact']> {
    return this.openArtifacts('markInput').useArtifact(...args);
  }
  upsertArtifact(...args: Parameters<RunArtifacts['upsertArtifact']>): ReturnType<RunArtifacts['upsertArtifact']> {
    return this.openArtifacts('upsertArtifact').upsertArtifact(...args);
  }
  finishArtifact(...args: Parameters<RunArtifacts['finishArtifact']>): ReturnType<RunArtifacts['finishArtifact']> {
    return this.openArtifacts('finishArtifact').finishArtifact(...args);
  }
  logModel(...args: Parameters<RunArtifacts['logModel']>): ReturnType<RunArtifacts['logModel']> {
    return this.openArtifacts('logModel').logModel(...args);
  }
  useModel(...args: Parameters<RunArtifacts['useModel']>): ReturnType<RunArtifacts['useModel']> {
    return this.openArtifacts('useModel').useModel(...args);
  }
  linkModel(...args: Parameters<RunArtifacts['linkModel']>): ReturnType<RunArtifacts['linkModel']> {
    return this.openArtifacts('linkModel').linkModel(...args);
  }
  linkArtifact(...args: Parameters<RunArtifacts['linkArtifact']>): ReturnType<RunArtifacts['linkArtifact']> {
    return this.openArtifacts('linkArtifact').linkArtifact(...args);
  }
  logCode(...args: Parameters<RunArtifacts['logCode']>): ReturnType<RunArtifacts['logCode']> {
    return this.openArtifacts('logCode').logCode(...args);
  }
}
