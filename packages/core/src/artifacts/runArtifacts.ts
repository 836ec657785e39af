// PLACEHOLDER (replaced by the artifacts work): the signatures Run delegates to.
import { RunlogError } from '../errors/runlogError.js';

export interface RunArtifactsHost {
  readonly storeDir: string;
  readonly project: string;
  readonly runId: string;
  readonly runDir: string;
  emit(event: 'artifact', payload: { direction: 'used' | 'logged'; artifact: string; type: string }): void;
  reportError(error: unknown, context: string): void;
}

// biome-ignore lint/suspicious/noExplicitAny: placeholder until the artifacts module lands
type Artifact = any;
const notYet = (): never => {
  throw new RunlogError('INVALID_ARGUMENT', 'artifacts are not implemented yet');
};

export class RunArtifacts {
  constructor(readonly host: RunArtifactsHost) {}
  logArtifact(_a: Artifact | string, _o?: object): Promise<Artifact> {
    return notYet();
  }
  useArtifact(_a: Artifact | string, _o?: object): Promise<Artifact> {
    return notYet();
  }
  upsertArtifact(_a: Artifact | string, _o: object): Promise<Artifact> {
    return notYet();
  }
  finishArtifact(_a: Artifact | string, _o: object): Promise<Artifact> {
    return notYet();
  }
  logModel(_p: string, _o?: object): Promise<Artifact> {
    return notYet();
  }
  useModel(_n: string): Promise<string> {
    return notYet();
  }
  linkModel(_p: string, _r: string, _o?: object): Promise<Artifact> {
    return notYet();
  }
  linkArtifact(_a: Artifact, _t: string, _o?: object): Promise<Artifact> {
    return notYet();
  }
  logCode(_r?: string, _o?: object): Promise<Artifact | undefined> {
    return notYet();
  }
  settle(): Promise<void> {
    return Promise.resolve();
  }
}
