import { createWriteStream, mkdtempSync, type WriteStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { JsonObject } from '../values/jsonTypes.js';
import { ArtifactInvalidError } from './artifactErrors.js';
import { validateArtifactName, validateArtifactType } from './artifactNames.js';
import type { DraftEntry, FilePolicy } from './draftEntry.js';
import { type DownloadOptions, downloadEntries, verifyEntries } from './entryFiles.js';
import { joinEntryPath, validateEntryPath } from './entryPath.js';
import { hashFile } from './hashFile.js';
import { isErrno } from './isErrno.js';
import { listDirectoryFiles } from './listDirectoryFiles.js';
import type { ArtifactManifest, ManifestEntry } from './manifest.js';
import { ObjectStore } from './objectStore.js';
import type { RunPointer, VersionRecord } from './versionRecord.js';

export interface ArtifactOptions {
  description?: string;
  metadata?: JsonObject;
}

/** A file of an artifact as `files()` lists it. */
export interface ArtifactFile extends ManifestEntry {
  path: string;
}

/** The state of a logged version, set when it is committed to (or read from) a store. */
interface CommittedState {
  storeDir: string;
  record: VersionRecord;
  manifest: ArtifactManifest;
}

const REMOTE_SCHEMES = ['http:', 'https:', 's3:', 'gs:'];

/**
 * A versioned set of files: build one, then `run.logArtifact(artifact)`; or get a logged one from
 * `run.useArtifact('name:alias')` and `download()` it.
 * @example
 * const data = new Artifact('mnist', 'dataset', { metadata: { rows: 60000 } });
 * await data.addDir('./data/mnist');
 * await run.logArtifact(data, { aliases: ['best'] });
 * const path = await (await run.useArtifact('mnist:best')).download();
 */
export class Artifact {
  readonly name: string;
  readonly type: string;
  description: string;
  metadata: JsonObject;
  /** Aliases to apply when the artifact is logged; after that, the aliases that point at this version. */
  aliases: string[] = [];
  /** Tags to apply when logged; after that, the version's tags. */
  tags: string[] = [];

  private readonly draft = new Map<string, DraftEntry>();
  private committed: CommittedState | undefined;

  constructor(name: string, type: string, options: ArtifactOptions = {}) {
    this.name = validateArtifactName(name);
    this.type = validateArtifactType(type);
    this.description = options.description ?? '';
    this.metadata = { ...(options.metadata ?? {}) };
  }

  /** @internal Builds the read-only view of a stored version. */
  static fromStore(storeDir: string, record: VersionRecord, manifest: ArtifactManifest, aliases: string[]): Artifact {
    const artifact = new Artifact(record.name, record.type, {
      description: record.description,
      metadata: record.metadata,
    });
    artifact.markCommitted(storeDir, record, manifest, aliases);
    return artifact;
  }

  /** @internal Called by the store once this draft became (or matched) a version. */
  markCommitted(storeDir: string, record: VersionRecord, manifest: ArtifactManifest, aliases: string[]): void {
    this.committed = { storeDir, record, manifest };
    this.aliases = [...aliases];
    this.tags = [...record.tags];
    this.description = record.description;
    this.metadata = record.metadata;
    this.draft.clear();
  }

  /** @internal The entries of a draft, for the store to ingest. */
  draftEntries(): ReadonlyMap<string, DraftEntry> {
    return this.draft;
  }

  /** True once the artifact is a stored version (logged or used). */
  get isLogged(): boolean {
    return this.committed !== undefined;
  }

  /** 'v3' once logged. */
  get version(): string | undefined {
    return this.committed ? `v${this.committed.record.version}` : undefined;
  }

  /** 3 once logged as v3. */
  get versionIndex(): number | undefined {
    return this.committed?.record.version;
  }

  get project(): string | undefined {
    return this.committed?.record.project;
  }

  /** 'project/name:v3' once logged. */
  get qualifiedName(): string | undefined {
    const c = this.committed;
    return c ? `${c.record.project}/${c.record.name}:v${c.record.version}` : undefined;
  }

  /** The manifest digest once logged (sha256 over the sorted entries, see docs/FORMAT.md). */
  get digest(): string | undefined {
    return this.committed?.record.digest;
  }

  /** The run that logged this version (null when created outside a run). */
  get producer(): RunPointer | null | undefined {
    return this.committed?.record.producer;
  }

  get createdAt(): string | undefined {
    return this.committed?.record.createdAt;
  }

  /** Total bytes of the entries that have a size. */
  get size(): number {
    return this.files().reduce((sum, f) => sum + (f.size ?? 0), 0);
  }

  /** The entries: for a draft, stored files show `digest: null` until the artifact is logged. */
  get manifest(): ArtifactManifest {
    if (this.committed) return this.committed.manifest;
    const entries: Record<string, ManifestEntry> = {};
    for (const [name, entry] of this.draft)
      entries[name] = entry.kind === 'reference' ? entry.entry : { digest: null, size: null, ref: null };
    return { entries };
  }

  /** Every entry with its path. */
  files(): ArtifactFile[] {
    const { entries } = this.manifest;
    return Object.keys(entries)
      .sort()
      .map((path) => ({ path, ...entries[path] }));
  }

  /** Adds one local file as `name` (default: its base name). */
  async addFile(localPath: string, options: { name?: string; policy?: FilePolicy } = {}): Promise<string> {
    this.assertDraft('addFile');
    const name = validateEntryPath(options.name ?? basename(resolve(localPath)));
    let source: string;
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      // The real path: logging later reads it without following symlinks (see ObjectStore.ingestFile).
      source = await realpath(resolve(localPath));
      info = await stat(source);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new ArtifactInvalidError(`addFile: no file at ${localPath}`);
      throw error;
    }
    if (!info.isFile()) throw new ArtifactInvalidError(`addFile: ${localPath} is not a regular file (use addDir)`);
    this.putEntries([[name, { kind: 'file', source, policy: checkPolicy(options.policy) }]]);
    return name;
  }

  /**
   * Adds every file under a local folder, under `name/` when given. Symlinks may not leave the folder.
   * `policy: 'immutable'` hard-links instead of copying (see FilePolicy).
   */
  async addDir(localPath: string, options: { name?: string; policy?: FilePolicy } = {}): Promise<string[]> {
    this.assertDraft('addDir');
    const policy = checkPolicy(options.policy);
    const prefix = options.name === undefined || options.name === '' ? undefined : validateEntryPath(options.name);
    const files = await listDirectoryFiles(resolve(localPath));
    const added: [string, DraftEntry][] = files.map((f) => [
      validateEntryPath(joinEntryPath(prefix, f.relativePath)),
      { kind: 'file', source: f.source, policy },
    ]);
    this.putEntries(added);
    return added.map(([name]) => name);
  }

  /**
   * Records a reference. `file://` files (or folders) are checksummed now and read in place later;
   * `http(s)://`, `s3://` and `gs://` are recorded as given and never downloaded.
   */
  async addReference(uri: string, options: { name?: string; checksum?: boolean } = {}): Promise<string[]> {
    this.assertDraft('addReference');
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new ArtifactInvalidError(`addReference: "${uri}" is not a URI (file://, http(s)://, s3:// or gs://)`);
    }
    const checksum = options.checksum ?? true;
    if (url.protocol === 'file:') return this.addFileReference(url, options.name, checksum);
    if (!REMOTE_SCHEMES.includes(url.protocol))
      throw new ArtifactInvalidError(`addReference: unsupported scheme ${url.protocol} in ${uri}`);
    const last = url.pathname.split('/').filter(Boolean).pop() ?? url.hostname;
    const name = validateEntryPath(options.name ?? decodeURIComponent(last));
    this.putEntries([[name, { kind: 'reference', entry: { digest: null, size: null, ref: url.href } }]]);
    return [name];
  }

  private async addFileReference(url: URL, name: string | undefined, checksum: boolean): Promise<string[]> {
    const path = fileURLToPath(url);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new ArtifactInvalidError(`addReference: nothing at ${url.href}`);
      throw error;
    }
    const describe = async (file: string): Promise<ManifestEntry> => {
      const ref = pathToFileURL(file).href;
      if (!checksum) return { digest: null, size: (await stat(file)).size, ref };
      const { digest, bytes } = await hashFile(file);
      return { digest, size: bytes, ref };
    };
    if (info.isFile()) {
      const entryName = validateEntryPath(name ?? basename(path));
      this.putEntries([[entryName, { kind: 'reference', entry: await describe(path) }]]);
      return [entryName];
    }
    const prefix = name === undefined || name === '' ? undefined : validateEntryPath(name);
    const added: [string, DraftEntry][] = [];
    for (const f of await listDirectoryFiles(path))
      added.push([
        validateEntryPath(joinEntryPath(prefix, f.relativePath)),
        { kind: 'reference', entry: await describe(f.source) },
      ]);
    this.putEntries(added);
    return added.map(([entryName]) => entryName);
  }

  /**
   * A writable stream whose bytes become the entry `name` when the artifact is logged; `end()` it first.
   * @example
   * const out = artifact.newFile('labels.csv'); out.end('id,label\n1,cat\n');
   */
  newFile(name: string): WriteStream {
    this.assertDraft('newFile');
    const entryName = validateEntryPath(name);
    this.assertFree([entryName]);
    // Synchronous so the stream can be returned at once; mkdtemp keeps the staging folder private.
    const source = join(mkdtempSync(join(tmpdir(), 'runlog-newfile-')), 'content');
    const stream = createWriteStream(source, { flags: 'wx' });
    this.putEntries([[entryName, { kind: 'stream', source, stream }]]);
    return stream;
  }

  /** Removes the entry `name`, or every entry under the folder `name`. */
  remove(name: string): void {
    this.assertDraft('remove');
    const path = validateEntryPath(name);
    const removed = [...this.draft.keys()].filter((key) => key === path || key.startsWith(`${path}/`));
    if (!removed.length) throw new ArtifactInvalidError(`remove: artifact ${this.name} has no entry ${path}`);
    for (const key of removed) this.draft.delete(key);
  }

  /**
   * Copies the files of this version under `root` (default `<store>/.downloads/<project>/<name>/v<N>`),
   * verifying every checksum; resolves to the folder. Remote references are not fetched; `file://` references
   * are copied from the path they name unless `{ references: false }` (do that for artifacts from others: see
   * docs/SECURITY.md).
   */
  async download(root?: string, options: DownloadOptions = {}): Promise<string> {
    const { storeDir, record, manifest } = this.requireCommitted('download');
    const target = resolve(root ?? defaultDownloadRoot(storeDir, record));
    await downloadEntries(manifest, new ObjectStore(storeDir), target, undefined, options);
    return target;
  }

  /** Downloads one entry (the only one when `name` is omitted) and resolves to its local path. */
  async file(name?: string, root?: string): Promise<string> {
    const { storeDir, record, manifest } = this.requireCommitted('file');
    const names = Object.keys(manifest.entries);
    if (name === undefined && names.length !== 1)
      throw new ArtifactInvalidError(
        `file(): ${this.qualifiedName} has ${names.length} entries; name the one you want (files() lists them)`,
      );
    const entryName = name ?? names[0];
    const entry = manifest.entries[entryName];
    if (!entry) throw new ArtifactInvalidError(`file(): ${this.qualifiedName} has no entry ${entryName}`);
    if (entry.ref !== null && !entry.ref.startsWith('file:'))
      throw new ArtifactInvalidError(
        `file(): ${entryName} is a remote reference (${entry.ref}); runlog never fetches it`,
      );
    const target = resolve(root ?? defaultDownloadRoot(storeDir, record));
    const [written] = await downloadEntries(manifest, new ObjectStore(storeDir), target, [entryName]);
    return written;
  }

  /**
   * Re-hashes the stored objects of this version (or the files of a downloaded copy under `root`) and throws
   * an IntegrityError naming every entry that is missing or differs.
   */
  async verify(root?: string): Promise<void> {
    const { storeDir, manifest } = this.requireCommitted('verify');
    await verifyEntries(manifest, new ObjectStore(storeDir), root === undefined ? undefined : resolve(root));
  }

  private putEntries(entries: [string, DraftEntry][]): void {
    this.assertFree(entries.map(([name]) => name));
    for (const [name, entry] of entries) this.draft.set(name, entry);
  }

  /** Refuses duplicates, and a file that would also be a folder ('a' and 'a/b'). */
  private assertFree(names: string[]): void {
    const seen = new Set<string>();
    for (const name of names) {
      if (this.draft.has(name) || seen.has(name))
        throw new ArtifactInvalidError(`artifact ${this.name} already has an entry ${name}; remove() it first`);
      seen.add(name);
    }
    const all = [...this.draft.keys(), ...names];
    const folders = new Map<string, string>();
    for (const name of all) {
      const parts = name.split('/');
      for (let i = 1; i < parts.length; i++) folders.set(parts.slice(0, i).join('/'), name);
    }
    for (const name of all) {
      const inside = folders.get(name);
      if (inside !== undefined)
        throw new ArtifactInvalidError(
          `artifact ${this.name}: ${name} cannot be both a file and the folder of ${inside}`,
        );
    }
  }

  private assertDraft(method: string): void {
    if (this.committed)
      throw new ArtifactInvalidError(
        `${method}(): ${this.qualifiedName} is logged and read-only; create a new Artifact('${this.name}', '${this.type}') for a new version`,
      );
  }

  private requireCommitted(method: string): CommittedState {
    if (!this.committed)
      throw new ArtifactInvalidError(`${method}(): artifact ${this.name} is not logged yet; log or use it first`);
    return this.committed;
  }
}

/** Where download() puts a version when no root is given. */
export function defaultDownloadRoot(storeDir: string, record: VersionRecord): string {
  return join(storeDir, '.downloads', record.project, record.name, `v${record.version}`);
}

function checkPolicy(policy: unknown): FilePolicy {
  if (policy === undefined) return 'mutable';
  if (policy === 'mutable' || policy === 'immutable') return policy;
  throw new ArtifactInvalidError(`policy must be 'mutable' or 'immutable', got ${JSON.stringify(policy)}`);
}
