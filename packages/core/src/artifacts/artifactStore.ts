import { randomBytes } from 'node:crypto';
import { appendFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { atomicWriteFile, atomicWriteJson, readJson, readJsonLines } from '../storage/index.js';
import type { JsonObject } from '../values/jsonTypes.js';
import { Artifact } from './artifact.js';
import { ArtifactInvalidError, ArtifactNotFoundError, ArtifactTypeMismatchError } from './artifactErrors.js';
import {
  type ArtifactRef,
  formatSelector,
  normalizeAliases,
  normalizeTags,
  parseArtifactRef,
  validateArtifactName,
  validateProjectName,
} from './artifactNames.js';
import { withLock } from './collectionLock.js';
import { type IngestSummary, ingestDraft } from './ingestDraft.js';
import { isErrno } from './isErrno.js';
import { type ArtifactManifest, computeManifestDigest } from './manifest.js';
import { ObjectPins } from './objectPins.js';
import { ObjectStore } from './objectStore.js';
import { checkObjectsPresent, ObjectsCollectedError } from './objectsPresent.js';
import type {
  CollectionInfo,
  CollectionRecord,
  ConsumerRecord,
  RunPointer,
  VersionInfo,
  VersionRecord,
} from './versionRecord.js';

const VERSION_DIR = /^v(0|[1-9][0-9]*)$/;

/** What a new version is made of, apart from its files. */
export interface CommitRequest {
  project: string;
  name: string;
  type: string;
  description: string;
  metadata: JsonObject;
  manifest: ArtifactManifest;
  aliases: string[];
  tags: string[];
  producer: RunPointer | null;
  contributors?: RunPointer[];
  linkedFrom?: string;
}

/** The outcome of a commit: the version and whether it was new (false: same digest as an existing one). */
export interface CommitResult {
  record: VersionRecord;
  manifest: ArtifactManifest;
  aliases: string[];
  created: boolean;
}

/**
 * The artifact side of a store folder: collections, versions, aliases and lineage under
 * `<project>/artifacts/<name>/`, file contents in the shared object store. Every change of a version number
 * or alias happens under the collection's lock, so any number of processes can log at once.
 */
export class ArtifactStore {
  readonly objects: ObjectStore;

  constructor(readonly storeDir: string) {
    this.objects = new ObjectStore(storeDir);
  }

  collectionDir(project: string, name: string): string {
    return join(this.storeDir, project, 'artifacts', name);
  }

  versionDir(project: string, name: string, version: number): string {
    return join(this.collectionDir(project, name), 'versions', `v${version}`);
  }

  /** Ingests the files of a draft and commits it as a version (or finds the version with the same digest). */
  async logArtifact(
    artifact: Artifact,
    options: { project: string; aliases?: string[]; tags?: string[]; producer: RunPointer | null },
  ): Promise<CommitResult & Omit<IngestSummary, 'manifest'>> {
    if (artifact.isLogged)
      throw new ArtifactInvalidError(`${artifact.qualifiedName} is logged already; use a new Artifact for new content`);
    const staged = [...artifact.draftEntries().values()].flatMap((e) => (e.kind === 'stream' ? [e.source] : []));
    let ingested: IngestSummary;
    let result: CommitResult;
    const pins = new ObjectPins(this.storeDir);
    for (let attempt = 1; ; attempt++) {
      try {
        ingested = await ingestDraft(artifact.draftEntries(), this.objects, pins);
        result = await this.commit({
          project: validateProjectName(options.project),
          name: artifact.name,
          type: artifact.type,
          description: artifact.description,
          metadata: artifact.metadata,
          manifest: ingested.manifest,
          aliases: normalizeAliases([...artifact.aliases, ...(options.aliases ?? [])]),
          tags: normalizeTags([...artifact.tags, ...(options.tags ?? [])]),
          producer: options.producer,
        });
        break;
      } catch (error) {
        // An object gone at commit although pinned (a collector of an older runlog): store the files again.
        if (!(error instanceof ObjectsCollectedError) || attempt >= 3) {
          pins.release();
          throw error;
        }
      }
    }
    pins.release();
    const { manifest: _manifest, ...summary } = ingested;
    artifact.markCommitted(this.storeDir, result.record, result.manifest, result.aliases);
    await Promise.all(staged.map((source) => rm(dirname(source), { recursive: true, force: true })));
    return { ...result, ...summary };
  }

  /** Commits a manifest whose objects are stored already. */
  async commit(request: CommitRequest): Promise<CommitResult> {
    const dir = this.collectionDir(request.project, request.name);
    await mkdir(dir, { recursive: true });
    return withLock(join(dir, '.lock'), () => this.commitLocked(request));
  }

  /** The body of commit(); the caller holds the collection lock. */
  async commitLocked(request: CommitRequest): Promise<CommitResult> {
    const { project, name } = request;
    const dir = this.collectionDir(project, name);
    const collection = await this.readCollection(project, name);
    if (collection && collection.type !== request.type)
      throw new ArtifactTypeMismatchError(
        `artifact ${project}/${name} has type '${collection.type}', cannot log a '${request.type}' into it; pick another name`,
      );
    const collectionRecord: CollectionRecord = collection ?? {
      name,
      project,
      type: request.type,
      description: request.description,
      createdAt: new Date().toISOString(),
      lastVersion: null,
    };
    if (!collection) await atomicWriteJson(join(dir, 'collection.json'), collectionRecord);

    const digest = computeManifestDigest(request.manifest);
    const versions = await this.versionNumbers(project, name);
    let record: VersionRecord | undefined;
    for (const v of [...versions].reverse()) {
      const candidate = await this.readVersionRecord(project, name, v);
      if (candidate?.digest === digest) {
        record = candidate;
        break;
      }
    }
    const created = record === undefined;
    if (record) {
      const tags = normalizeTags([...record.tags, ...request.tags]);
      if (tags.length !== record.tags.length) {
        record = { ...record, tags };
        await atomicWriteJson(join(this.versionDir(project, name, record.version), 'version.json'), record);
      }
    } else {
      // A number is never reused, even when its version was deleted: lastVersion remembers the highest one.
      const highest = Math.max(
        versions.length ? versions[versions.length - 1] : -1,
        collectionRecord.lastVersion ?? -1,
      );
      record = await this.writeVersion(request, digest, highest + 1);
      versions.push(record.version);
      await atomicWriteJson(join(dir, 'collection.json'), { ...collectionRecord, lastVersion: record.version });
    }
    const aliasMap = await this.setAliases(project, name, record.version, request.aliases, versions);
    const manifest = created ? request.manifest : await this.readManifest(project, name, record.version);
    return { record, manifest, aliases: aliasesOf(aliasMap, record.version), created };
  }

  /** Writes `versions/v<N>/` as a temp folder renamed into place: a reader sees all of it or nothing. */
  private async writeVersion(request: CommitRequest, digest: string, version: number): Promise<VersionRecord> {
    const entries = Object.values(request.manifest.entries);
    const record: VersionRecord = {
      formatVersion: 1,
      project: request.project,
      name: request.name,
      version,
      digest,
      type: request.type,
      description: request.description,
      metadata: request.metadata,
      tags: request.tags,
      createdAt: new Date().toISOString(),
      size: entries.reduce((sum, e) => sum + (e.size ?? 0), 0),
      fileCount: entries.length,
      producer: request.producer,
      ...(request.contributors ? { contributors: request.contributors } : {}),
      ...(request.linkedFrom ? { linkedFrom: request.linkedFrom } : {}),
    };
    const versionsDir = join(this.collectionDir(request.project, request.name), 'versions');
    const temp = join(versionsDir, `.tmp-v${version}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await mkdir(temp, { recursive: true });
    try {
      await atomicWriteFile(join(temp, 'manifest.json'), `${JSON.stringify(request.manifest)}\n`);
      await atomicWriteJson(join(temp, 'version.json'), record);
      // The manifest is on disk (garbage collection counts temp folders): an object still present now is safe.
      checkObjectsPresent(this.objects, request.manifest);
      await rename(temp, join(versionsDir, `v${version}`));
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
    return record;
  }

  /** Points `aliases` at `version` and 'latest' at the newest version; the caller holds the lock. */
  private async setAliases(
    project: string,
    name: string,
    version: number,
    aliases: string[],
    versions: number[],
  ): Promise<Record<string, number>> {
    const file = join(this.collectionDir(project, name), 'aliases.json');
    const current = (await readJson<Record<string, number>>(file)) ?? {};
    const next: Record<string, number> = { ...current };
    for (const alias of aliases) if (alias !== 'latest') next[alias] = version;
    next.latest = Math.max(...versions);
    if (JSON.stringify(next) !== JSON.stringify(current)) await atomicWriteJson(file, next);
    return next;
  }

  /** Adds aliases to an existing version (used by useArtifact and linkArtifact). */
  async addAliases(project: string, name: string, version: number, aliases: string[]): Promise<string[]> {
    const dir = this.collectionDir(project, name);
    return withLock(join(dir, '.lock'), async () => {
      const versions = await this.versionNumbers(project, name);
      if (!versions.includes(version)) throw new ArtifactNotFoundError(`${project}/${name}:v${version} does not exist`);
      return aliasesOf(await this.setAliases(project, name, version, normalizeAliases(aliases), versions), version);
    });
  }

  async readCollection(project: string, name: string): Promise<CollectionRecord | undefined> {
    return readJson<CollectionRecord>(join(this.collectionDir(project, name), 'collection.json'));
  }

  async readAliases(project: string, name: string): Promise<Record<string, number>> {
    return (await readJson<Record<string, number>>(join(this.collectionDir(project, name), 'aliases.json'))) ?? {};
  }

  /** Version numbers of a collection, ascending (temp folders of commits in progress are ignored). */
  async versionNumbers(project: string, name: string): Promise<number[]> {
    let names: string[];
    try {
      names = await readdir(join(this.collectionDir(project, name), 'versions'));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return [];
      throw error;
    }
    return names
      .filter((n) => VERSION_DIR.test(n))
      .map((n) => Number(n.slice(1)))
      .sort((a, b) => a - b);
  }

  async readVersionRecord(project: string, name: string, version: number): Promise<VersionRecord | undefined> {
    return readJson<VersionRecord>(join(this.versionDir(project, name, version), 'version.json'));
  }

  async readManifest(project: string, name: string, version: number): Promise<ArtifactManifest> {
    const manifest = await readJson<ArtifactManifest>(join(this.versionDir(project, name, version), 'manifest.json'));
    if (!manifest) throw new ArtifactNotFoundError(`${project}/${name}:v${version} has no manifest`);
    return manifest;
  }

  /** Resolves `project/name:alias`, `name:v3`, `name:<digest>`... to the stored version (read-only Artifact). */
  async resolve(ref: string | ArtifactRef, defaultProject?: string): Promise<Artifact> {
    const parsed = typeof ref === 'string' ? parseArtifactRef(ref, defaultProject) : ref;
    const { project, name, selector } = parsed;
    const shown = `${project}/${name}:${formatSelector(selector)}`;
    const collection = await this.readCollection(project, name);
    if (!collection)
      throw new ArtifactNotFoundError(`no artifact named ${project}/${name}; listCollections() shows what exists`);
    const aliases = await this.readAliases(project, name);
    let version: number | undefined;
    if (selector.kind === 'version') version = selector.version;
    else if (selector.kind === 'alias') version = aliases[selector.alias];
    else {
      for (const v of await this.versionNumbers(project, name))
        if ((await this.readVersionRecord(project, name, v))?.digest === selector.digest) version = v;
    }
    const record = version === undefined ? undefined : await this.readVersionRecord(project, name, version);
    if (!record || version === undefined) {
      const known = Object.keys(aliases).sort().join(', ') || 'none';
      throw new ArtifactNotFoundError(`no version ${shown} (aliases: ${known}); listVersions() shows what exists`);
    }
    const manifest = await this.readManifest(project, name, version);
    return Artifact.fromStore(this.storeDir, record, manifest, aliasesOf(aliases, version));
  }

  /** Projects of the store that hold artifacts. */
  async projects(): Promise<string[]> {
    const names = await readdir(this.storeDir, { withFileTypes: true }).catch(() => []);
    const result: string[] = [];
    for (const d of names) {
      if (!d.isDirectory() || d.name.startsWith('.') || d.name === 'objects') continue;
      const has = await readdir(join(this.storeDir, d.name, 'artifacts')).then(
        () => true,
        () => false,
      );
      if (has) result.push(d.name);
    }
    return result.sort();
  }

  async listCollections(project?: string): Promise<CollectionInfo[]> {
    const projects = project === undefined ? await this.projects() : [validateProjectName(project)];
    const result: CollectionInfo[] = [];
    for (const p of projects) {
      const names = await readdir(join(this.storeDir, p, 'artifacts')).catch(() => [] as string[]);
      for (const name of names.sort()) {
        const collection = await this.readCollection(p, name).catch(() => undefined);
        if (!collection) continue;
        const versionCount = (await this.versionNumbers(p, name)).length;
        result.push({ ...collection, versionCount, aliases: await this.readAliases(p, name) });
      }
    }
    return result;
  }

  async listVersions(project: string, name: string): Promise<VersionInfo[]> {
    validateProjectName(project);
    validateArtifactName(name);
    if (!(await this.readCollection(project, name)))
      throw new ArtifactNotFoundError(`no artifact named ${project}/${name}`);
    const aliases = await this.readAliases(project, name);
    const result: VersionInfo[] = [];
    for (const v of await this.versionNumbers(project, name)) {
      const record = await this.readVersionRecord(project, name, v);
      if (record) result.push({ ...record, aliases: aliasesOf(aliases, v) });
    }
    return result;
  }

  /** Records that a run used a version (`versions/v<N>/consumers.jsonl`, one O_APPEND write per line). */
  async addConsumer(record: VersionRecord, consumer: RunPointer, useAs: string | null): Promise<void> {
    const line: ConsumerRecord = { ...consumer, useAs, _timestamp: Date.now() / 1000 };
    await appendFile(
      join(this.versionDir(record.project, record.name, record.version), 'consumers.jsonl'),
      `${JSON.stringify(line)}\n`,
    );
  }

  /** The runs that used a version, oldest first (a torn last line is ignored). */
  async listConsumers(ref: string, defaultProject?: string): Promise<ConsumerRecord[]> {
    const artifact = await this.resolve(ref, defaultProject);
    const file = join(this.versionDir(artifact.project!, artifact.name, artifact.versionIndex!), 'consumers.jsonl');
    const consumers: ConsumerRecord[] = [];
    for await (const line of readJsonLines<ConsumerRecord>(file)) consumers.push(line);
    return consumers;
  }
}

function aliasesOf(aliases: Record<string, number>, version: number): string[] {
  return Object.keys(aliases)
    .filter((alias) => aliases[alias] === version)
    .sort((a, b) => (a === 'latest' ? -1 : b === 'latest' ? 1 : a < b ? -1 : 1));
}
