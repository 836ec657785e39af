import { createRequire } from 'node:module';
import { arch, cpus, hostname, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { type GitInfo, readGitInfo } from './gitInfo.js';

export interface RunMetadata {
  host: string;
  os: string;
  arch: string;
  cpuCount: number;
  cpuModel?: string;
  memoryBytes: number;
  node: string;
  command: string;
  args: string[];
  cwd: string;
  pid: number;
  git?: GitInfo;
  packages: Record<string, string>;
}

/** Frameworks whose versions matter when comparing runs, if the project has them installed. */
const TRACKED_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-wasm',
  'onnxruntime-node',
  'onnxruntime-web',
];

function packageVersions(cwd: string): Record<string, string> {
  const versions: Record<string, string> = {};
  const require = createRequire(join(cwd, 'noop.js'));
  for (const name of TRACKED_PACKAGES) {
    try {
      const manifest = require(`${name}/package.json`) as { version?: string };
      if (manifest.version) versions[name] = manifest.version;
    } catch {
      // not installed, or its exports hide package.json: nothing to record
    }
  }
  return versions;
}

/** What init records about the machine, the process and the code. Reads files only; spawns nothing. */
export function captureMetadata(): RunMetadata {
  const cwd = process.cwd();
  const cpuList = cpus();
  return {
    host: hostname(),
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpuCount: cpuList.length,
    cpuModel: cpuList[0]?.model,
    memoryBytes: totalmem(),
    node: process.version,
    command: [process.argv0, ...process.execArgv, ...process.argv.slice(1)].join(' '),
    args: process.argv.slice(2),
    cwd,
    pid: process.pid,
    git: readGitInfo(cwd),
    packages: packageVersions(cwd),
  };
}
