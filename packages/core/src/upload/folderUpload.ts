import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { RunlogError, type RunlogErrorCode } from '../errors/runlogError.js';
import type { ConflictStrategy } from '../run/t9kUpload.js';
import { runFolderSource } from '../sync/node/runFolderSource.js';
import { type RunSource, type RunSyncReport, syncRun } from '../sync/runSync.js';
import { refused, type SyncAnswer, SyncTransport, type SyncTransportOptions } from '../sync/syncTransport.js';
import { retargetedSource, type UploadTarget } from './retargetedSource.js';
import type { UploadServer } from './uploadServer.js';

const gzipAsync = promisify(gzip);

/** The local run an upload sends. */
export interface UploadableRun {
  storeDir: string;
  project: string;
  id: string;
  name: string;
  alternativeName?: string;
}

export interface FolderUploadSettings {
  folder: string;
  makeFolder: boolean;
  conflictStrategy: ConflictStrategy;
}

/** The server's decision (POST /api/v1/run-uploads, docs/PROTOCOL.md "Folders and t9k uploads"). */
export interface UploadPlan {
  action: 'upload' | 'skip' | 'new' | 'replace';
  /** The folder, absolute (`/alice/cv/mnist`). */
  folder: string;
  /** The project that holds the folder's runs. */
  project: string;
  /** The run's id on the server (skip: the run kept; new: the new id; replace: the id it takes at commit). */
  runId: string;
  name: string;
  /** The folder's runs that made it a conflict (same id or same name). */
  existing: string[];
  stagingRunId?: string;
  uploadId?: string;
}

/** What `run.upload()` answers: the plan, and what was sent. */
export interface UploadResult extends UploadPlan {
  /** The replace was committed (the server's copy is the new one). */
  committed: boolean;
  /** Runs removed by a replace. */
  replaced: string[];
  /** The sync report of what was sent (none for a skip). */
  sent?: RunSyncReport;
}

/** Server codes an upload passes on as the RunlogError of the same code. */
const PASSED_ON = new Set<RunlogErrorCode>([
  'RUN_EXISTS',
  'INVALID_FOLDER',
  'FOLDER_NOT_FOUND',
  'FOLDER_CONFLICT',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'STATE_TRANSITION',
  'INVALID_ARGUMENT',
]);

function refusal(what: string, answer: SyncAnswer): RunlogError {
  const error = answer.body.error as { code?: string; message?: string } | undefined;
  const code = error?.code;
  if (code && PASSED_ON.has(code as RunlogErrorCode))
    return new RunlogError(code as RunlogErrorCode, `${what}: ${error?.message ?? code}`);
  if (code === 'NOT_FOUND')
    return new RunlogError('FORBIDDEN', `${what}: ${error?.message} (not visible to this token)`);
  return refused(what, answer);
}

/**
 * t9k's upload of one run into a server folder, in three steps: `decide()` asks the server where the run goes
 * (the folder made or found, the conflict strategy applied; once), `send()` copies the local run folder there with
 * the sync client (resumable and idempotent: call it again to send what was logged since), `complete()` swaps a
 * replace in. `run()` does all three. The same FolderUpload keeps sending to the place decided first: a run is not
 * in conflict with its own earlier upload.
 */
export class FolderUpload {
  private decided: UploadPlan | undefined;
  private committed = false;
  private replaced: string[] = [];

  constructor(
    /** The local run (its store and project may be filled in once the run exists: only send() reads them). */
    public run: UploadableRun,
    readonly settings: FolderUploadSettings,
    readonly server: UploadServer,
    private readonly transportOptions: Partial<SyncTransportOptions> = {},
  ) {}

  get plan(): UploadPlan | undefined {
    return this.decided;
  }

  private transport(): SyncTransport {
    return new SyncTransport({ ...this.transportOptions, hosts: this.server.hosts, apiKey: this.server.apiKey });
  }

  /** Asks the server where the run goes; refusals are RunlogErrors with the server's code (RUN_EXISTS, ...). */
  async decide(): Promise<UploadPlan> {
    if (this.decided) return this.decided;
    const { run, settings } = this;
    const answer = await this.transport().json('POST', '/api/v1/run-uploads', {
      folder: settings.folder,
      makeFolder: settings.makeFolder,
      conflictStrategy: settings.conflictStrategy,
      run: { id: run.id, name: run.name, alternativeName: run.alternativeName },
    });
    if (answer.status !== 200) throw refusal(`uploading ${run.project}/${run.id} to folder ${settings.folder}`, answer);
    this.decided = answer.body as unknown as UploadPlan;
    return this.decided;
  }

  /** Where the run's bytes go under `plan`: a replace sends to its staging run until it is committed. */
  target(plan: UploadPlan): UploadTarget {
    const sendTo = plan.action === 'replace' && !this.committed ? (plan.stagingRunId as string) : plan.runId;
    return { project: plan.project, sendTo, runId: plan.runId, name: plan.name, folder: plan.folder };
  }

  /** The local run as the server should receive it (undefined for a skip). */
  async source(): Promise<RunSource | undefined> {
    const plan = await this.decide();
    if (plan.action === 'skip') return undefined;
    const local = await runFolderSource(this.run.storeDir, this.run.project, this.run.id);
    return retargetedSource(local, this.target(plan));
  }

  /** Sends what the server lacks of the run (nothing for a skip). */
  async send(): Promise<RunSyncReport | undefined> {
    const source = await this.source();
    if (!source) return undefined;
    return syncRun(this.transport(), source, {
      compress: async (bytes) => ({ bytes: await gzipAsync(bytes, { level: 1 }), encoding: 'gzip' }),
    });
  }

  /** Swaps a replace in (once); nothing to do for the other actions. */
  async complete(): Promise<void> {
    const plan = await this.decide();
    if (plan.action !== 'replace' || this.committed) return;
    const answer = await this.transport().json('POST', `/api/v1/run-uploads/${plan.uploadId}/commit`);
    if (answer.status !== 200) throw refusal(`replacing ${plan.project}/${plan.runId}`, answer);
    this.committed = true;
    this.replaced = (answer.body.replaced as string[] | undefined) ?? [];
  }

  /** decide, send, complete. */
  async upload(): Promise<UploadResult> {
    const plan = await this.decide();
    const sent = await this.send();
    await this.complete();
    return { ...plan, committed: this.committed, replaced: this.replaced, ...(sent ? { sent } : {}) };
  }
}
