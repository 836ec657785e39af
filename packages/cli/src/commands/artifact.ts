import { Api, type Artifact, collectGarbage } from '@runlog/core';
import { type CliIo, print, printJson } from '../cliIo.js';
import type { Command } from '../command.js';
import { formatBytes, formatTime } from '../output/formatValue.js';
import { ProgressBar } from '../output/progressBar.js';
import { renderTable } from '../output/table.js';
import { JSON_OPTION, parseCommandArgs, positionals } from '../parseCommandArgs.js';
import { parseDuration } from '../parseDuration.js';
import { UsageError } from '../usageError.js';

const help = `Usage: runlog artifact <ls|show|get|gc> [options]

  runlog artifact ls [project]            artifact collections (of one project, or all)
  runlog artifact ls <project/name>       the versions of one collection, with aliases
  runlog artifact show <project/name:alias|vN|digest>
                                          one version: type, digest, size, aliases, producer, consumers, files
  runlog artifact get <ref> [-o <dir>] [--no-references]
                                          copy a version's files to a folder (checksums verified);
                                          --no-references skips file:// references (use it for artifacts
                                          made by someone else: a reference names a path on this machine)
  runlog artifact gc [--yes] [--min-age <age>] [--force]
                                          remove stored blobs no version references (a dry run unless --yes;
                                          blobs younger than --min-age, default 10m, are kept; under 1m needs
                                          --force, under 10m prints a warning: see docs/SECURITY.md)

Options:
      --json              print JSON
  -d, --dir <path>        the store (default $RUNLOG_DIR or ./runlog)
  -h, --help              show this help`;

export const artifactCommand: Command = {
  name: 'artifact',
  summary: 'list, show, download and garbage-collect artifacts',
  help,
  async run(args, io) {
    const { values, positionals: rest } = parseCommandArgs('artifact', args, {
      out: { type: 'string', short: 'o' },
      yes: { type: 'boolean', short: 'y' },
      'min-age': { type: 'string' },
      force: { type: 'boolean' },
      'no-references': { type: 'boolean' },
      ...JSON_OPTION,
    });
    const [sub, ...operands] = rest;
    const api = new Api({ dir: values.dir });
    const json = values.json === true;
    switch (sub) {
      case 'ls': {
        if (operands.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(operands[1])}`, 'artifact');
        return operands[0]?.includes('/')
          ? listVersions(api, operands[0], io, json)
          : listCollections(api, operands[0], io, json);
      }
      case 'show': {
        const [ref] = positionals('artifact', operands, ['ref']);
        return show(api, ref, io, json);
      }
      case 'get': {
        const [ref] = positionals('artifact', operands, ['ref']);
        const artifact = await api.artifact(ref);
        const folder = await artifact.download(values.out, { references: values['no-references'] !== true });
        if (json) printJson(io, { artifact: artifact.qualifiedName, path: folder, files: artifact.files().length });
        else print(io, `${artifact.qualifiedName}: ${artifact.files().length} files in ${folder}`);
        return 0;
      }
      case 'gc': {
        positionals('artifact', operands, []);
        const minAgeMs =
          values['min-age'] === undefined ? undefined : parseDuration('artifact', 'min-age', values['min-age']);
        if (minAgeMs !== undefined) checkGracePeriod(minAgeMs, values['min-age'] as string, values.force === true, io);
        const bar = new ProgressBar(io.stderr, 'scanning');
        const result = await collectGarbage(api.dir, {
          dryRun: values.yes !== true,
          minAgeMs,
          onProgress: ({ phase, done }) => bar.update(phase === 'scan-versions' ? 0.25 : 0.75, `${phase} ${done}`),
        }).finally(() => bar.done());
        if (json) printJson(io, result);
        else if (result.dryRun) {
          print(
            io,
            `${result.objectsRemoved} of ${result.objects} blobs (${formatBytes(result.bytesFreed)}) are unreferenced; run again with --yes to remove them`,
          );
        } else
          print(
            io,
            `removed ${result.objectsRemoved} of ${result.objects} blobs, freed ${formatBytes(result.bytesFreed)}`,
          );
        return 0;
      }
      case undefined:
        throw new UsageError('missing subcommand: ls, show, get or gc', 'artifact');
      default:
        throw new UsageError(`unknown subcommand ${JSON.stringify(sub)}: use ls, show, get or gc`, 'artifact');
    }
  },
};

async function listCollections(api: Api, project: string | undefined, io: CliIo, json: boolean): Promise<number> {
  const collections = await api.artifactCollections(project);
  if (json) {
    printJson(io, collections);
    return 0;
  }
  if (collections.length === 0) {
    print(io, `no artifacts${project ? ` in project ${project}` : ''}`);
    return 0;
  }
  const rows = collections.map((c) => [
    `${c.project}/${c.name}`,
    c.type,
    String(c.versionCount),
    Object.entries(c.aliases)
      .map(([alias, v]) => `${alias}:v${v}`)
      .join(' '),
    formatTime(c.createdAt),
  ]);
  print(
    io,
    renderTable(
      [
        { header: 'ARTIFACT' },
        { header: 'TYPE' },
        { header: 'VERSIONS', align: 'right' },
        { header: 'ALIASES' },
        { header: 'CREATED' },
      ],
      rows,
      io.colors.bold,
    ),
  );
  return 0;
}

async function listVersions(api: Api, collection: string, io: CliIo, json: boolean): Promise<number> {
  const versions = await api.artifactVersions(collection);
  if (json) {
    printJson(io, versions);
    return 0;
  }
  if (versions.length === 0) {
    print(io, `${collection} has no versions`);
    return 0;
  }
  const rows = versions.map((v) => [
    `v${v.version}`,
    v.aliases.join(' '),
    formatBytes(v.size),
    String(v.fileCount),
    v.digest.slice(0, 12),
    v.producer ? `${v.producer.project}/${v.producer.runId}` : '',
    formatTime(v.createdAt),
  ]);
  print(
    io,
    renderTable(
      [
        { header: 'VERSION' },
        { header: 'ALIASES' },
        { header: 'SIZE', align: 'right' },
        { header: 'FILES', align: 'right' },
        { header: 'DIGEST' },
        { header: 'PRODUCER' },
        { header: 'CREATED' },
      ],
      rows,
      io.colors.bold,
    ),
  );
  return 0;
}

async function show(api: Api, ref: string, io: CliIo, json: boolean): Promise<number> {
  const artifact: Artifact = await api.artifact(ref);
  const consumers = await api.artifactConsumers(artifact.qualifiedName!);
  const files = artifact.files();
  if (json) {
    printJson(io, {
      artifact: artifact.qualifiedName,
      type: artifact.type,
      digest: artifact.digest,
      size: artifact.size,
      aliases: artifact.aliases,
      description: artifact.description,
      metadata: artifact.metadata,
      producer: artifact.producer,
      consumers,
      createdAt: artifact.createdAt,
      files,
    });
    return 0;
  }
  const c = io.colors;
  print(
    io,
    `${c.bold(artifact.qualifiedName!)}  ${artifact.type}  ${artifact.aliases.map((a) => c.cyan(a)).join(' ')}`,
  );
  const facts: [string, string][] = [
    ['digest', artifact.digest ?? ''],
    ['size', `${formatBytes(artifact.size)} in ${files.length} files`],
    ['created', formatTime(artifact.createdAt)],
    ['producer', artifact.producer ? `${artifact.producer.project}/${artifact.producer.runId}` : '(outside a run)'],
    ['used by', consumers.map((r) => `${r.project}/${r.runId}`).join(', ')],
    ['description', artifact.description],
  ];
  for (const [label, value] of facts) if (value) print(io, `  ${c.dim(label.padEnd(12))} ${value}`);
  if (Object.keys(artifact.metadata).length > 0)
    print(io, `  ${c.dim('metadata'.padEnd(12))} ${JSON.stringify(artifact.metadata)}`);
  print(io, `\n${c.bold('Files')}`);
  print(
    io,
    renderTable(
      [{ header: 'PATH' }, { header: 'SIZE', align: 'right' }, { header: 'DIGEST' }],
      files.map((f) => [f.path, f.size === null ? '' : formatBytes(f.size), f.ref ?? (f.digest ?? '').slice(0, 12)]),
      c.dim,
    ),
  );
  return 0;
}

/** Below this, `gc --min-age` is refused without --force. */
const MIN_SAFE_GRACE_MS = 60_000;
/** collectGarbage's default grace period (10 minutes); below it, a warning. */
const DEFAULT_GRACE_MS = 10 * 60_000;

/**
 * A short grace period is safe against logs by this version of runlog (they pin the objects they reuse), but a
 * process of an older version, or a copy into the store by hand, relies on it: say so loudly, or refuse.
 */
function checkGracePeriod(minAgeMs: number, text: string, force: boolean, io: CliIo): void {
  if (minAgeMs < MIN_SAFE_GRACE_MS && !force) {
    throw new UsageError(
      `--min-age ${text} is shorter than a commit may take: blobs being logged right now could be removed. Use at least 1m, or --force when nothing else is logging`,
      'artifact',
    );
  }
  if (minAgeMs < DEFAULT_GRACE_MS) {
    io.stderr.write(
      `warning: --min-age ${text} is shorter than the default 10m; blobs logged by processes of an older runlog in the last ${text} may be removed\n`,
    );
  }
}
