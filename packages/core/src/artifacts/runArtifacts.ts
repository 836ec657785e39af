import { resolve } from 'node:path';
import { RunlogError, StorageError } from '../errors/runlogError.js';
import { Artifact } from './artifact.js';
import { ArtifactInvalidError, ArtifactTypeMismatchError } from './artifactErrors.js';
import { artifactFromPath, codeArtifactName, defaultArtifactName } from './artifactFromPath.js';
import { normalizeAliases, parseArtifactRef, validateArtifactName } from './artifactNames.js';
import { ArtifactStore, type CommitResult } from './artifactStore.js';
import { listCodeFiles, type PathFilter } from './codeFiles.js';
import { type DraftPart, finishDraft, upsertDraftPart } from './distributedDrafts.js';
import { resolveDistributedId } from './distributedId.js';
import type { FilePolicy } from './draftEntry.js';
import { ingestDraft } from './ingestDraft.js';
import { appendRunArtifact } from './runLineage.js';

/** What the run engine gives the artifacts part of a run. */
export interface RunArtifactsHost {
  readonly storeDir: string;
  readonly project: string;
  readonly runId: string;
  readonly runDir: string;
  /** The run's group: the default distributedId, as wandb. */
  readonly group?: string | null;
  emit(event: 'artifact', payload: { direction: 'used' | 'logged'; artifact: string; type: string }): void;
  reportError(error: unknown, context: string): void;
}

export interface LogArtifactOptions {
  /** Name for a path (default `run-<runId>-<basename>`); for an Artifact it must match the artifact's name. */
  name?: string;
  /** Type for a path (default 'unspecified'). */
  type?: string;
  aliases?: string[];
  tags?: string[];
  /** For a path: 'immutable' hard-links the files instead of copying them (see FilePolicy). */
  policy?: FilePolicy;
}

export interface UseArtifactOptions {
  /** Fail with ARTIFACT_TYPE_MISMATCH unless the version has this type. */
  type?: string;
  /** Aliases to add to the version that is used. */
  aliases?: string[];
  /** What the run used it for, kept in the lineage. */
  useAs?: string;
}

export interface DistributedOptions {
  name?: string;
  type?: string;
  aliases?: string[];
  /** Shared by every process building the version; default the run's group, as wandb. */
  distributedId?: string;
}

export interface LogCodeOptions {
  /** Globs or a predicate over paths relative to the root; default JS/TS sources and package.json files. */
  include?: PathFilter;
  exclude?: PathFilter;
  /** Default `source-<project>-<entry script>`. */
  name?: string;
}

/**
 * The artifacts part of a run: logging (outputs), using (inputs), distributed versions, the model registry
 * and code snapshots, with lineage recorded in both directions. Run delegates its artifact methods here.
 */
export class RunArtifacts {
  private readonly store: ArtifactStore;
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly background = new Set<Promise<unknown>>();
  /** One part per artifact object and distributed id, so repeated upserts replace the same part. */
  private readonly partKeys = new WeakMap<Artifact, string>();
  private partCounter = 0;

  constructor(private readonly host: RunArtifactsHost) {
    this.store = new ArtifactStore(host.storeDir);
  }

  /**
   * Logs an artifact (or the file, folder or URI at a path) as an output of this run. The first log makes v0;
   * logging the same content again returns that version and moves the aliases to it; 'latest' is always the
   * newest version.
   */
  logArtifact(artifactOrPath: Artifact | string, options: LogArtifactOptions = {}): Promise<Artifact> {
    return this.track(
      'logArtifact',
      async () => {
        const artifact = await artifactFromPath(artifactOrPath, options, this.host.runId);
        if (artifact.isLogged) {
          // Already a version (e.g. markOutput of an artifact that was logged or used): record the lineage and
          // apply the aliases; the content cannot change.
          const aliases = normalizeAliases(options.aliases);
          if (aliases.length)
            artifact.aliases = await this.store.addAliases(
              artifact.project!,
              artifact.name,
              artifact.versionIndex!,
              aliases,
            );
          const record = await this.versionRecordOf(artifact);
          await this.recordLogged({ record, manifest: artifact.manifest, aliases: artifact.aliases, created: false });
          return artifact;
        }
        const result = await this.store.logArtifact(artifact, {
          project: this.host.project,
          aliases: options.aliases,
          tags: options.tags,
          producer: this.self(),
        });
        await this.recordLogged(result);
        return artifact;
      },
      artifactOrPath,
    );
  }

  /** Declares a version as an input of this run: `name`, `name:v3`, `name:alias`, `project/name:alias`. */
  useArtifact(nameOrArtifact: string | Artifact, options: UseArtifactOptions = {}): Promise<Artifact> {
    return this.track(
      'useArtifact',
      async () => {
        let artifact: Artifact;
        if (typeof nameOrArtifact === 'string') {
          // A name may point at a version that background work (a checkpoint being saved) is about to log.
          await this.settleBackground();
          artifact = await this.store.resolve(nameOrArtifact, this.host.project);
        } else if (nameOrArtifact instanceof Artifact) {
          artifact = nameOrArtifact;
          // An artifact built in this run and used directly is stored without a producer.
          if (!artifact.isLogged)
            await this.store.logArtifact(artifact, { project: this.host.project, producer: null });
        } else throw new ArtifactInvalidError('useArtifact expects an artifact name or an Artifact');
        if (options.type !== undefined && artifact.type !== options.type)
          throw new ArtifactTypeMismatchError(
            `${artifact.qualifiedName} has type '${artifact.type}', not '${options.type}'`,
          );
        const aliases = normalizeAliases(options.aliases);
        if (aliases.length)
          artifact.aliases = await this.store.addAliases(
            artifact.project!,
            artifact.name,
            artifact.versionIndex!,
            aliases,
          );
        const useAs = options.useAs === undefined ? null : String(options.useAs);
        const record = { ...(await this.versionRecordOf(artifact)) };
        await this.store.addConsumer(record, this.self(), useAs);
        await appendRunArtifact(this.host.runDir, {
          direction: 'used',
          artifact: artifact.qualifiedName!,
          type: artifact.type,
          digest: artifact.digest ?? null,
          _timestamp: Date.now() / 1000,
          ...(useAs === null ? {} : { useAs }),
        });
        this.host.emit('artifact', { direction: 'used', artifact: artifact.qualifiedName!, type: artifact.type });
        return artifact;
      },
      nameOrArtifact,
    );
  }

  /**
   * Adds this process's files to the unfinished version `distributedId` of the artifact; every process of a
   * group upserts, one calls finishArtifact. Resolves to the (still unlogged) artifact.
   */
  upsertArtifact(artifactOrPath: Artifact | string, options: DistributedOptions = {}): Promise<Artifact> {
    return this.track(
      'upsertArtifact',
      async () => {
        const { artifact, distributedId, part, partKey } = await this.preparePart(artifactOrPath, options);
        await upsertDraftPart(this.store, this.host.project, artifact.name, distributedId, partKey, part);
        await appendRunArtifact(this.host.runDir, {
          direction: 'logged',
          artifact: `${this.host.project}/${artifact.name}`,
          type: artifact.type,
          digest: null,
          distributedId,
          _timestamp: Date.now() / 1000,
        });
        return artifact;
      },
      artifactOrPath,
    );
  }

  /** Finishes the version `distributedId`: every upserted part and this one become one version. */
  finishArtifact(artifactOrPath: Artifact | string, options: DistributedOptions = {}): Promise<Artifact> {
    return this.track(
      'finishArtifact',
      async () => {
        const { artifact, distributedId, part, partKey } = await this.preparePart(artifactOrPath, options);
        const result = await finishDraft(this.store, this.host.project, artifact.name, distributedId, partKey, part, {
          aliases: normalizeAliases([...artifact.aliases, ...(options.aliases ?? [])]),
          tags: [...artifact.tags],
          producer: this.self(),
        });
        artifact.markCommitted(this.host.storeDir, result.record, result.manifest, result.aliases);
        await this.recordLogged(result);
        return artifact;
      },
      artifactOrPath,
    );
  }

  /** Logs the file or folder at `path` as a model artifact (type 'model'). */
  logModel(path: string, options: { name?: string; aliases?: string[] } = {}): Promise<Artifact> {
    return this.track('logModel', async () => {
      const name = options.name ?? defaultArtifactName(path, this.host.runId);
      const type = await this.modelTypeFor(name);
      return this.logArtifact(path, { name, type, aliases: options.aliases });
    });
  }

  /** Uses a model version and downloads it; resolves to the local folder. Refuses non-model artifacts. */
  useModel(name: string): Promise<string> {
    return this.track('useModel', async () => {
      await this.settleBackground(); // a checkpoint still being saved may be the version asked for
      const found = await this.store.resolve(name, this.host.project);
      if (!found.type.includes('model'))
        throw new ArtifactTypeMismatchError(
          `useModel: ${found.qualifiedName} has type '${found.type}', which is not a model type; use useArtifact()`,
        );
      const artifact = await this.useArtifact(found);
      return artifact.download();
    });
  }

  /**
   * Logs `path` as a model version (or finds the version with the same files) and links it into the model
   * registry: project 'model-registry', collection `registeredModelName`.
   */
  linkModel(
    path: string,
    registeredModelName: string,
    options: { name?: string; aliases?: string[] } = {},
  ): Promise<Artifact> {
    return this.track('linkModel', async () => {
      if (typeof registeredModelName !== 'string' || registeredModelName.includes('/'))
        throw new ArtifactInvalidError(
          `linkModel: registeredModelName must be a plain name, not a path: ${JSON.stringify(registeredModelName)}`,
        );
      validateArtifactName(registeredModelName);
      const model = await this.logModel(path, options.name === undefined ? {} : { name: options.name });
      return this.linkArtifact(model, `model-registry/${registeredModelName}`, { aliases: options.aliases });
    });
  }

  /**
   * Links a version into another collection (a portfolio): `portfolio`, `project/portfolio` or
   * `entity/project/portfolio`. The link is a version there with the same files and `linkedFrom` set.
   */
  linkArtifact(artifact: Artifact, targetPath: string, options: { aliases?: string[] } = {}): Promise<Artifact> {
    return this.track('linkArtifact', async () => {
      if (!(artifact instanceof Artifact)) throw new ArtifactInvalidError('linkArtifact expects an Artifact');
      const target = parseArtifactRef(targetPath, this.host.project);
      if (targetPath.includes(':'))
        throw new ArtifactInvalidError(`linkArtifact: "${targetPath}" must not name a version`);
      const source = artifact.isLogged ? artifact : await this.logArtifact(artifact);
      const result = await this.store.commit({
        project: target.project,
        name: target.name,
        type: source.type,
        description: source.description,
        metadata: source.metadata,
        manifest: source.manifest,
        aliases: normalizeAliases(options.aliases),
        tags: [],
        producer: this.self(),
        linkedFrom: source.qualifiedName,
      });
      const linked = Artifact.fromStore(this.host.storeDir, result.record, result.manifest, result.aliases);
      await appendRunArtifact(this.host.runDir, {
        direction: 'logged',
        artifact: linked.qualifiedName!,
        type: linked.type,
        digest: linked.digest ?? null,
        linkedFrom: source.qualifiedName!,
        _timestamp: Date.now() / 1000,
      });
      this.host.emit('artifact', { direction: 'logged', artifact: linked.qualifiedName!, type: linked.type });
      return linked;
    });
  }

  /** Snapshots the code under `root` (default the working directory) as a 'code' artifact; undefined if none. */
  logCode(root = '.', options: LogCodeOptions = {}): Promise<Artifact | undefined> {
    return this.track('logCode', async () => {
      const absoluteRoot = resolve(root);
      const files = await listCodeFiles(absoluteRoot, { ...options, skipDir: this.host.storeDir });
      if (!files.length) return undefined;
      const name = options.name ?? codeArtifactName(absoluteRoot, this.host.project);
      const artifact = new Artifact(name, 'code');
      for (const file of files) await artifact.addFile(file.source, { name: file.relativePath });
      return this.logArtifact(artifact);
    });
  }

  /** Resolves when every artifact call and background work of this run has settled (run.finish waits for it). */
  async settle(): Promise<void> {
    while (this.inflight.size || this.background.size) await Promise.allSettled([...this.inflight, ...this.background]);
  }

  /**
   * Work that will log artifacts later, such as a checkpoint being written while training goes on: flush,
   * finish and lookups by name wait for it; a failure is reported to the run, never thrown at the trainer.
   */
  trackBackground(work: Promise<unknown>, context: string): void {
    this.background.add(work);
    work.then(
      () => this.background.delete(work),
      (error: unknown) => {
        this.background.delete(work);
        this.host.reportError(error, context);
      },
    );
  }

  private async settleBackground(): Promise<void> {
    while (this.background.size) await Promise.allSettled([...this.background]);
  }

  /**
   * Runs one public call: tracked for settle(), and marked handled so a call nobody awaits cannot crash the
   * process. Store I/O failures are also reported to the run; bad input only rejects the returned promise.
   */
  private track<T>(method: string, work: () => Promise<T>, subject?: unknown): Promise<T> {
    // A draft given to the call: adds it has not finished are waited for, later ones refused (beginLogging).
    const promise = subject instanceof Artifact && !subject.isLogged ? subject.beginLogging(work) : work();
    this.inflight.add(promise);
    promise.then(
      () => this.inflight.delete(promise),
      (error: unknown) => {
        this.inflight.delete(promise);
        if (!(error instanceof RunlogError) || error instanceof StorageError) this.host.reportError(error, method);
      },
    );
    return promise;
  }

  private self() {
    return { project: this.host.project, runId: this.host.runId };
  }

  private async recordLogged(result: CommitResult): Promise<void> {
    const artifact = `${result.record.project}/${result.record.name}:v${result.record.version}`;
    await appendRunArtifact(this.host.runDir, {
      direction: 'logged',
      artifact,
      type: result.record.type,
      digest: result.record.digest,
      _timestamp: Date.now() / 1000,
    });
    this.host.emit('artifact', { direction: 'logged', artifact, type: result.record.type });
  }

  private async versionRecordOf(artifact: Artifact) {
    const record = await this.store.readVersionRecord(artifact.project!, artifact.name, artifact.versionIndex!);
    if (!record) throw new StorageError(`${artifact.qualifiedName} disappeared from the store`);
    return record;
  }

  private async preparePart(artifactOrPath: Artifact | string, options: DistributedOptions) {
    const distributedId = resolveDistributedId(options?.distributedId, this.host.group ?? null);
    const artifact = await artifactFromPath(artifactOrPath, options, this.host.runId);
    if (artifact.isLogged) throw new ArtifactInvalidError(`${artifact.qualifiedName} is logged already`);
    const { manifest } = await ingestDraft(artifact.draftEntries(), this.store.objects);
    let partKey = this.partKeys.get(artifact);
    if (!partKey) {
      partKey = `${this.host.runId}-${process.pid}-${++this.partCounter}`;
      this.partKeys.set(artifact, partKey);
    }
    const part: DraftPart = {
      contributor: this.self(),
      type: artifact.type,
      description: artifact.description,
      metadata: artifact.metadata,
      entries: manifest.entries,
      at: new Date().toISOString(),
    };
    return { artifact, distributedId, part, partKey };
  }

  /** A model collection keeps its own type if it contains 'model'; any other type is a mismatch. */
  private async modelTypeFor(name: string): Promise<string> {
    const collection = await this.store.readCollection(this.host.project, validateArtifactName(name));
    if (!collection) return 'model';
    if (!collection.type.includes('model'))
      throw new ArtifactTypeMismatchError(
        `artifact ${this.host.project}/${name} has type '${collection.type}', which is not a model type`,
      );
    return collection.type;
  }
}
