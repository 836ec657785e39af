/**
 * Each publishable package as packed for the registry: publint and arethetypeswrong find no problem, the
 * metadata users and registries read is there, the tarball ships the build and docs only, and every package
 * its build imports is declared. Sizes are printed at the end (the release notes quote them).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './childProcess.js';
import { declaredPackages, importedPackages } from './declaredImports.js';
import { fileText, type PackedPackage, pack, repoRoot, workspacePackages } from './packedPackages.js';
import { publishable } from './publishable.js';

const REPOSITORY = 'https://github.com/runlog/runlog';
/** What a tarball may hold besides dist/. */
const DOCS = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'];

let destination: string;
const packed = new Map<string, PackedPackage>();

beforeAll(async () => {
  destination = mkdtempSync(join(tmpdir(), 'runlog-pack-'));
  const workspace = new Map(workspacePackages().map((pkg) => [pkg.dir, pkg]));
  const packs = publishable.map(async (entry) => {
    const pkg = workspace.get(entry.dir);
    if (!pkg) throw new Error(`publishable.ts lists packages/${entry.dir}, which does not exist`);
    return [entry.dir, await pack(pkg, destination)] as const;
  });
  for (const [dir, pkg] of await Promise.all(packs)) packed.set(dir, pkg); // in publishable.ts order
}, 300_000);

afterAll(() => {
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const rows = [...packed.values()].map(
    (pkg) =>
      `${pkg.manifest.name.padEnd(16)} ${kib(pkg.packedBytes).padStart(11)} ${kib(pkg.unpackedBytes).padStart(11)}`,
  );
  if (rows.length > 0) console.log(['package          tarball     unpacked', ...rows].join('\n'));
  if (destination) rmSync(destination, { recursive: true, force: true });
});

it('lists every package under packages/ that is not private in test/packaging/publishable.ts', () => {
  const listed = new Set(publishable.map((entry) => entry.dir));
  const unlisted = workspacePackages()
    .filter((pkg) => !pkg.manifest.private && !listed.has(pkg.dir))
    .map((pkg) => pkg.dir);
  expect(unlisted, 'add one line per package to test/packaging/publishable.ts').toEqual([]);
});

it('versions every publishable package together with changesets (one fixed group)', () => {
  const config = JSON.parse(readFileSync(join(repoRoot, '.changeset', 'config.json'), 'utf8'));
  expect(config.fixed).toEqual([['@runlog/*']]);
  expect(config.access).toBe('public');
  for (const entry of publishable) expect(packed.get(entry.dir)?.manifest.name).toMatch(/^@runlog\//);
});

describe.each(publishable.map((entry) => [entry.dir, entry] as const))('packages/%s, packed', (dir) => {
  const pkg = () => packed.get(dir)!;

  it('has no publint error or warning', async () => {
    const tarball = readFileSync(pkg().tarball);
    const { messages, pkg: manifest } = await publint({
      level: 'warning',
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    });
    const problems = messages.map(
      (message) => `${message.type}: ${formatMessage(message, manifest, { color: false })}`,
    );
    expect(problems).toEqual([]);
  });

  it('has no arethetypeswrong problem (node10, node16 from CJS and ESM, bundler)', async () => {
    const attw = join(repoRoot, 'node_modules', '.bin', 'attw');
    const output = await run(attw, [pkg().tarball, '--format', 'json', '--no-definitely-typed'], {
      cwd: repoRoot,
      env: process.env,
      timeoutMs: 120_000,
    });
    const report = JSON.parse(output.stdout) as { analysis: { problems: { kind: string; entrypoint?: string }[] } };
    expect(report.analysis.problems).toEqual([]);
    expect(output.code, output.stderr).toBe(0);
  });

  it('carries the metadata users and registries read', () => {
    const manifest = pkg().packedManifest;
    expect(manifest.license).toBe('MIT');
    expect(String(manifest.description).length).toBeGreaterThan(20);
    expect((manifest.keywords as string[]).length).toBeGreaterThan(2);
    expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git`, directory: `packages/${dir}` });
    expect(manifest.homepage).toBe(`${REPOSITORY}/tree/main/packages/${dir}#readme`);
    expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
    expect(manifest.engines).toEqual({ node: '>=20' });
    expect(manifest.sideEffects === false || Array.isArray(manifest.sideEffects)).toBe(true);
    expect(manifest.publishConfig).toEqual({ access: 'public' });
  });

  it('depends on its siblings at their real versions, never workspace:', () => {
    const manifest = pkg().packedManifest;
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies'] as const) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
        const sibling = [...packed.values()].find((other) => other.manifest.name === name);
        if (sibling) expect(range, `${field}.${name}`).toBe(sibling.manifest.version);
      }
    }
  });

  it('ships the build, README, CHANGELOG and LICENSE only (nothing from tests or sources)', () => {
    const paths = pkg().files.map((file) => file.path);
    expect(paths.filter((path) => !path.startsWith('dist/') && !DOCS.includes(path))).toEqual([]);
    expect(paths.filter((path) => /(^|\/)(tests?|__tests__|fixtures?)\/|\.(test|spec)\.[cm]?[jt]s/.test(path))).toEqual(
      [],
    );
    for (const doc of DOCS) expect(paths).toContain(doc);
    expect(fileText(pkg().files, 'CHANGELOG.md')).toMatch(new RegExp(`^# ${pkg().manifest.name}\\n`));
  });

  it('declares every package its build imports', () => {
    const declared = declaredPackages(pkg().packedManifest);
    const undeclared = pkg()
      .files.filter((file) => /^dist\/[^/]+\.(c|m)?js$/.test(file.path))
      .flatMap((file) => [...importedPackages(file.bytes.toString('utf8'))].map((name) => `${file.path}: ${name}`))
      .filter((line) => !declared.has(line.slice(line.indexOf(': ') + 2)));
    expect(undeclared).toEqual([]);
  });
});
