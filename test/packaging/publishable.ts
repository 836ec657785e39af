/**
 * Every package that is published to the registry, one line each. The packaging tests pack, lint (publint,
 * arethetypeswrong), install and run the README example of each entry; a package under packages/ that is
 * neither listed here nor `"private": true` fails the tests, so a new package cannot ship untested.
 */
import { buildMlp } from '../../packages/onnx/test/helpers/testModels.js';

export interface PublishableEntry {
  /** The folder under packages/. */
  dir: string;
  /**
   * How the README's first example runs in the scratch project (default 'node'):
   * - 'node': a JS/TS block, run as ESM (.mjs) and, converted, as CommonJS (.cjs); it must exit 0;
   * - 'shell': a sh block run by bash (the CLI through `npx runlog`); it must exit 0;
   * - 'server': a JS/TS block that serves HTTP until stopped: run as ESM and CommonJS, the first
   *   http://127.0.0.1:<port>/ it prints is fetched (the page and `probe`), then the process is stopped;
   * - 'none': not runnable under Node (say why in `why`); only importing the package is checked.
   */
  example?: 'node' | 'shell' | 'server' | 'none';
  /** For 'server': a path under the printed URL that must answer 200 (default: the page itself). */
  probe?: string;
  /** Files the example expects in its working folder ("your model.onnx"), made fresh for each run. */
  fixtures?: Record<string, () => Uint8Array | string>;
  /** Environment for `npm install` that the README tells users to set (a dependency's documented switch). */
  installEnv?: Record<string, string>;
  /** A file the example must have written under its working folder (a path suffix), beyond finished runs. */
  writes?: string;
  /** Whether the example must leave at least one run in ./runlog, all `finished` (default true). */
  runs?: boolean;
  /** Why the example does not run under Node (example: 'none'). */
  why?: string;
}

export const publishable: PublishableEntry[] = [
  { dir: 'core' },
  { dir: 'media', writes: '.mp4' },
  { dir: 'tfjs' },
  {
    dir: 'onnx',
    fixtures: { 'model.onnx': () => buildMlp({ inputs: 4, classes: 3 }).bytes },
    // onnxruntime-node's install downloads CUDA libraries from NuGet on Linux x64; the README says to skip that.
    installEnv: { ONNXRUNTIME_NODE_INSTALL: 'skip' },
  },
  { dir: 'cli', example: 'shell', writes: 'history.parquet' },
  { dir: 'tensorboard' },
  { dir: 'ui', example: 'server', probe: 'api/projects' },
  { dir: 'sweeps' },
  { dir: 'server', example: 'server', probe: 'healthz', runs: false },
  {
    dir: 'browser',
    example: 'none',
    why: 'runs in a web page (IndexedDB, OffscreenCanvas); its Chromium test is packages/browser/test/browserTraining.test.ts',
  },
];
