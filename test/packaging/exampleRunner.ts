/**
 * Runs a README's first example inside the scratch project, the way a user who copied it would: as an ES
 * module and as its CommonJS twin, as a shell script, or as a server that is probed and stopped. Each run gets a
 * fresh working folder; afterwards the runs it wrote are read back with the installed @runlog/core.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Finished, run, serve } from './childProcess.js';
import type { PublishableEntry } from './publishable.js';
import type { CodeBlock } from './readmeExample.js';
import { toCommonJs } from './readmeExample.js';
import { type ScratchProject, userEnvironment } from './scratchProject.js';

export type Flavour = 'esm' | 'cjs' | 'shell';

const EXAMPLE_TIMEOUT_MS = 240_000;
/** The first local URL a server example prints. */
const LOCAL_URL = /http:\/\/127\.0\.0\.1:\d+\/\S*/;

export interface ExampleOutcome {
  folder: string;
  output: Finished;
  /** For server examples: the status and body of the page and of the probe. */
  responses?: { url: string; status: number; body: string }[];
}

/** What a failed assertion should show: the exit and everything the process printed. */
export function describeOutput(output: Finished): string {
  return `exit ${output.code ?? output.signal}\n--- stdout\n${output.stdout}\n--- stderr\n${output.stderr}`;
}

function writeExample(folder: string, entry: PublishableEntry, example: CodeBlock, flavour: Flavour): string {
  for (const [name, make] of Object.entries(entry.fixtures ?? {})) writeFileSync(join(folder, name), make());
  const file = { esm: 'example.mjs', cjs: 'example.cjs', shell: 'example.sh' }[flavour];
  writeFileSync(join(folder, file), flavour === 'cjs' ? toCommonJs(example.code) : `${example.code}\n`);
  return file;
}

export async function runExample(
  project: ScratchProject,
  entry: PublishableEntry,
  example: CodeBlock,
  flavour: Flavour,
): Promise<ExampleOutcome> {
  const folder = project.workFolder(`${entry.dir}-${flavour}`);
  const file = writeExample(folder, entry, example, flavour);
  // npx must run the installed bin, never fetch a same-named package from the registry: npm_config_yes=false.
  const env = userEnvironment({ npm_config_yes: 'false' });
  const options = { cwd: folder, env, timeoutMs: EXAMPLE_TIMEOUT_MS };
  if (flavour === 'shell') return { folder, output: await run('bash', ['-eo', 'pipefail', file], options) };
  if (entry.example !== 'server') return { folder, output: await run(process.execPath, [file], options) };

  const server = await serve(process.execPath, [file], LOCAL_URL, options);
  const responses: ExampleOutcome['responses'] = [];
  let output: Finished;
  try {
    const page = server.match[0];
    for (const url of [page, ...(entry.probe ? [new URL(entry.probe, page).href] : [])]) {
      const response = await fetch(url);
      responses.push({ url, status: response.status, body: await response.text() });
    }
  } finally {
    output = await server.stop();
  }
  // Stopped on purpose: what it printed matters, not the signal it was stopped with.
  return { folder, output: { ...output, code: 0 }, responses };
}

export interface StoredRun {
  path: string;
  state: string;
  lastHistoryStep: number;
}

/** The runs under `<folder>/runlog`, read through the installed @runlog/core's read API. */
export async function storedRuns(project: ScratchProject, folder: string): Promise<StoredRun[]> {
  const script = [
    "import { Api } from '@runlog/core';",
    'const runs = await new Api({ dir: process.argv[1] }).runs().toArray();',
    'console.log(JSON.stringify(runs.map((r) => ({ path: r.path, state: r.state, lastHistoryStep: r.lastHistoryStep }))));',
  ].join('\n');
  const output = await run(process.execPath, ['--input-type=module', '-e', script, join(folder, 'runlog')], {
    cwd: project.dir,
    env: userEnvironment(),
    timeoutMs: 60_000,
  });
  if (output.code !== 0) throw new Error(`reading the runs failed: ${describeOutput(output)}`);
  return JSON.parse(output.stdout) as StoredRun[];
}

/** Every file under `folder`, relative, with `/` separators. */
export function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(folder.length + 1));
}
