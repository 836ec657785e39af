/**
 * An empty npm project outside the workspace (in os.tmpdir()), where packages are installed the way a user
 * installs them: `npm install` with install scripts allowed, from the packed tarballs and the npm registry.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Finished, run } from './childProcess.js';

/**
 * The test process's environment without what the workspace puts in it: pnpm's and npm's `npm_*` settings
 * (an npm run inside the scratch project must see only its own), vitest's variables, NODE_OPTIONS, and
 * RUNLOG_DIR (the examples write ./runlog in their folder, as they would for a user).
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|node_options$|node_path$|runlog_|ffmpeg_path$)/i.test(key)) continue;
    if (key === 'TEST' || key === 'NODE_ENV') continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface ScratchProject {
  dir: string;
  /** A fresh working folder for one example run, inside the project (so node_modules resolves). */
  workFolder(name: string): string;
}

export function createScratchProject(): ScratchProject {
  const dir = mkdtempSync(join(tmpdir(), 'runlog-consumer-'));
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'runlog-consumer', version: '0.0.0', private: true }, null, 2)}\n`,
  );
  return {
    dir,
    workFolder(name) {
      const folder = join(dir, 'work', name);
      mkdirSync(folder, { recursive: true });
      return folder;
    },
  };
}

/**
 * `npm install <specs>` in the project, scripts allowed. `--prefer-offline` reuses npm's cache (warm after the
 * first run) and asks the registry only for what it lacks; `--foreground-scripts` keeps the install scripts'
 * output in the result, so a test can see that a script ran and failed.
 */
export function npmInstall(project: ScratchProject, specs: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', '--loglevel=warn', ...specs],
    { cwd: project.dir, env, timeoutMs: 540_000 },
  );
}
