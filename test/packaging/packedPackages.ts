/**
 * The workspace's packages as the registry would get them: `pnpm pack` turns `workspace:*` into real versions
 * and keeps only what `files` lists, exactly as `pnpm publish` does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './childProcess.js';
import { type TarEntry, tarballFiles } from './tarballListing.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** The folder under packages/. */
  dir: string;
  path: string;
  manifest: PackageJson;
}

/** Every folder under packages/ that has a package.json. */
export function workspacePackages(): WorkspacePackage[] {
  const root = join(repoRoot, 'packages');
  return readdirSync(root)
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({
      dir,
      path: join(root, dir),
      manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as PackageJson,
    }));
}

export interface PackedPackage extends WorkspacePackage {
  tarball: string;
  /** The tarball's size in bytes. */
  packedBytes: number;
  files: TarEntry[];
  /** The sum of the file sizes: what the package takes in node_modules. */
  unpackedBytes: number;
  /** The package.json inside the tarball (workspace:* replaced by versions). */
  packedManifest: PackageJson;
}

/** Packs one package into `destination`; its build (dist/) must exist: `pnpm build` (pnpm test builds first). */
export async function pack(pkg: WorkspacePackage, destination: string): Promise<PackedPackage> {
  const main = join(pkg.path, 'dist');
  if (!existsSync(main)) throw new Error(`${pkg.path}/dist is missing: run \`pnpm build\` first (pnpm test does)`);
  const result = await run('pnpm', ['pack', '--pack-destination', destination, '--json'], {
    cwd: pkg.path,
    env: process.env,
    timeoutMs: 60_000,
  });
  if (result.code !== 0) throw new Error(`pnpm pack failed in ${pkg.path}:\n${result.stdout}\n${result.stderr}`);
  const tarball = (JSON.parse(result.stdout) as { filename: string }).filename;
  const files = tarballFiles(tarball);
  return {
    ...pkg,
    tarball,
    packedBytes: statSync(tarball).size,
    files,
    unpackedBytes: files.reduce((sum, file) => sum + file.size, 0),
    packedManifest: JSON.parse(fileText(files, 'package.json')) as PackageJson,
  };
}

/** One file of a tarball listing as text. */
export function fileText(files: TarEntry[], path: string): string {
  const file = files.find((entry) => entry.path === path);
  if (!file) throw new Error(`the tarball has no ${path}`);
  return file.bytes.toString('utf8');
}
