/**
 * The packages as a user gets them (issue #20): every publishable package is packed, the tarballs and what the
 * READMEs' install lines name are installed with npm (install scripts allowed) into one empty project in
 * os.tmpdir(), with ffmpeg-static's binary download pointed at a closed port, and each README's first example
 * runs there against the installed packages only, as ES module and as CommonJS (the CLI through `npx runlog`).
 *
 * One project for all packages: a dependency that a package uses without declaring it would be hidden by
 * hoisting here; packageLint.test.ts checks that every import in a dist/ is declared, which closes that gap.
 * Set RUNLOG_KEEP_CONSUMER=1 to keep the project for a look (its path is printed).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './childProcess.js';
import { describeOutput, type Flavour, filesUnder, runExample, storedRuns } from './exampleRunner.js';
import { type PackedPackage, pack, workspacePackages } from './packedPackages.js';
import { publishable } from './publishable.js';
import { packageName, type ReadmeOpening, readmeOpening } from './readmeExample.js';
import { createScratchProject, npmInstall, type ScratchProject, userEnvironment } from './scratchProject.js';

/** Where ffmpeg-static's install script downloads from: the discard port on loopback, where nothing listens. */
const BLOCKED_DOWNLOADS = 'http://127.0.0.1:9/blocked';

let project: ScratchProject;
const packed = new Map<string, PackedPackage>();
const openings = new Map<string, ReadmeOpening>();
let install: Awaited<ReturnType<typeof npmInstall>>;

beforeAll(async () => {
  project = createScratchProject();
  const tarballs = join(project.dir, 'tarballs');
  mkdirSync(tarballs);
  const workspace = new Map(workspacePackages().map((pkg) => [pkg.dir, pkg]));
  await Promise.all(
    publishable.map(async (entry) => {
      const pkg = workspace.get(entry.dir);
      if (!pkg) throw new Error(`publishable.ts lists packages/${entry.dir}, which does not exist`);
      const kind = entry.example === 'shell' ? 'shell' : 'script';
      openings.set(entry.dir, readmeOpening(readFileSync(join(pkg.path, 'README.md'), 'utf8'), kind));
      packed.set(entry.dir, await pack(pkg, tarballs));
    }),
  );
  const tarballOf = new Map([...packed.values()].map((pkg) => [pkg.manifest.name, pkg.tarball]));
  const specs = new Set<string>(tarballOf.values());
  for (const [dir, opening] of openings) {
    for (const spec of opening.installs) {
      const name = packageName(spec);
      if (name.startsWith('@runlog/') && !tarballOf.has(name)) {
        throw new Error(`packages/${dir}/README.md installs ${name}, which publishable.ts does not list`);
      }
      if (!tarballOf.has(name)) specs.add(spec);
    }
  }
  const installEnv = Object.assign({}, ...publishable.map((entry) => entry.installEnv ?? {}));
  const started = performance.now();
  install = await npmInstall(
    project,
    [...specs],
    userEnvironment({ ...installEnv, FFMPEG_BINARIES_URL: BLOCKED_DOWNLOADS }),
  );
  console.log(`npm install of ${specs.size} packages took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (install.code !== 0) console.error(`npm install failed in ${project.dir}\n${describeOutput(install)}`);
}, 600_000);

afterAll(() => {
  if (!project) return;
  if (process.env.RUNLOG_KEEP_CONSUMER) console.log(`consumer project kept: ${project.dir}`);
  else rmSync(project.dir, { recursive: true, force: true });
});

const installed = (...path: string[]) => join(project.dir, 'node_modules', ...path);

describe('npm install of the packed packages', () => {
  it('succeeds although ffmpeg-static cannot download its binary (an optional dependency that failed)', () => {
    expect(install.code, describeOutput(install)).toBe(0);
    // Its install script did run, and failed to connect: the download really was blocked.
    expect(`${install.stdout}${install.stderr}`).toMatch(
      /ECONNREFUSED[\s\S]*127\.0\.0\.1|127\.0\.0\.1[\s\S]*ECONNREFUSED/,
    );
    // npm removes an optional dependency whose install failed; the fallback is in place.
    expect(existsSync(installed('ffmpeg-static', 'ffmpeg'))).toBe(false);
    expect(existsSync(installed('@ffmpeg-installer', 'ffmpeg', 'package.json'))).toBe(true);
  });

  it('installs every publishable package at the packed version', () => {
    for (const pkg of packed.values()) {
      const manifest = JSON.parse(readFileSync(installed(pkg.manifest.name, 'package.json'), 'utf8'));
      expect(manifest.version).toBe(pkg.manifest.version);
    }
  });
});

describe.each(publishable.map((entry) => [entry.dir, entry] as const))('packages/%s, installed', (_, entry) => {
  const name = () => packed.get(entry.dir)!.manifest.name;
  const nodeIn = (cwd: string, args: string[]) =>
    run(process.execPath, args, { cwd, env: userEnvironment(), timeoutMs: 120_000 });

  it('loads with import and with require, with the same exports', async () => {
    const esm = await nodeIn(project.dir, [
      '--input-type=module',
      '-e',
      `console.log(JSON.stringify(Object.keys(await import('${name()}')).sort()))`,
    ]);
    const cjs = await nodeIn(project.dir, [
      '-e',
      `console.log(JSON.stringify(Object.keys(require('${name()}')).sort()))`,
    ]);
    expect(esm.code, describeOutput(esm)).toBe(0);
    expect(cjs.code, describeOutput(cjs)).toBe(0);
    const exports = JSON.parse(esm.stdout) as string[];
    expect(exports.length).toBeGreaterThan(0);
    expect(JSON.parse(cjs.stdout)).toEqual(exports);
  }, 240_000);

  const flavours: Flavour[] = entry.example === 'shell' ? ['shell'] : entry.example === 'none' ? [] : ['esm', 'cjs'];
  it.each(flavours)(
    "runs the README's first example (%s)",
    async (flavour) => {
      const outcome = await runExample(project, entry, openings.get(entry.dir)!.example, flavour);
      expect(outcome.output.code, describeOutput(outcome.output)).toBe(0);
      for (const response of outcome.responses ?? []) {
        expect(response.status, `${response.url}: ${response.body.slice(0, 500)}`).toBe(200);
      }
      if (entry.runs !== false) {
        const runs = await storedRuns(project, outcome.folder);
        expect(runs.length, 'the example wrote no run').toBeGreaterThan(0);
        for (const stored of runs) {
          expect(stored.state, `${stored.path}\n${describeOutput(outcome.output)}`).toBe('finished');
          expect(stored.lastHistoryStep).toBeGreaterThanOrEqual(0);
        }
      }
      if (entry.writes) expect(filesUnder(outcome.folder).some((file) => file.endsWith(entry.writes!))).toBe(true);
    },
    300_000,
  );
});

describe('ffmpeg for @runlog/media, installed without ffmpeg-static', () => {
  const resolveScript = [
    "import { resolveFfmpeg, Video } from '@runlog/media';",
    'try {',
    '  const path = resolveFfmpeg();',
    "  new Video(new Uint8Array(12), { shape: [1, 3, 2, 2], format: 'mp4' });",
    '  console.log(JSON.stringify({ path }));',
    '} catch (error) {',
    '  console.log(JSON.stringify({ code: error.code, message: error.message }));',
    '}',
  ].join('\n');
  const resolveIn = async (env: Record<string, string>) => {
    // An absolute node and an empty PATH: no system ffmpeg can be found by accident.
    const output = await run(process.execPath, ['--input-type=module', '-e', resolveScript], {
      cwd: project.dir,
      env: { ...userEnvironment(), PATH: '', ...env },
      timeoutMs: 60_000,
    });
    expect(output.code, describeOutput(output)).toBe(0);
    return JSON.parse(output.stdout) as { path?: string; code?: string; message?: string };
  };

  it('takes FFMPEG_PATH first, then @ffmpeg-installer/ffmpeg', async () => {
    const own = join(project.workFolder('ffmpeg'), 'my-ffmpeg');
    writeFileSync(own, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    expect(await resolveIn({ FFMPEG_PATH: own })).toEqual({ path: own });
    const fallback = await resolveIn({});
    expect(fallback.path).toContain(join('node_modules', '@ffmpeg-installer'));
  }, 120_000);

  it('throws DEPENDENCY_MISSING naming every place it looked when there is no ffmpeg at all', async () => {
    const aside = installed('@ffmpeg-installer-aside');
    renameSync(installed('@ffmpeg-installer'), aside);
    try {
      const missing = await resolveIn({});
      expect(missing.code).toBe('DEPENDENCY_MISSING');
      for (const place of ['FFMPEG_PATH', 'ffmpeg-static', '@ffmpeg-installer/ffmpeg', 'PATH']) {
        expect(missing.message).toContain(place);
      }
    } finally {
      renameSync(aside, installed('@ffmpeg-installer'));
    }
  }, 120_000);
});
