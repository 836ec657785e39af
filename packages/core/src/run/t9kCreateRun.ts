import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { InvalidValueError, RunlogError } from '../errors/runlogError.js';
import { planAutoUpload, startAutoUpload } from '../upload/autoUpload.js';
import { uploadServer } from '../upload/uploadServer.js';
import { init } from './init.js';
import type { Run } from './run.js';
import { RUN_EXTRAS, type RunExtras } from './runExtras.js';
import { generateRunId } from './runNames.js';
import { type CreateRunOptions, DEFAULT_SETTINGS } from './runOptions.js';
import { needsServerError, uploadSettings } from './t9kUpload.js';

/** A run config file's keys (t9k's snake_case, or camelCase) -> createRun's options. */
const FILE_KEYS: Record<string, keyof CreateRunOptions> = {
  name: 'name',
  hparams: 'hparams',
  labels: 'labels',
  description: 'description',
  project: 'project',
  alternative_name: 'alternativeName',
  alternativeName: 'alternativeName',
  auto_upload: 'autoUpload',
  autoUpload: 'autoUpload',
  folder: 'folder',
  make_folder: 'makeFolder',
  makeFolder: 'makeFolder',
  conflict_strategy: 'conflictStrategy',
  conflictStrategy: 'conflictStrategy',
};

/** createRun's own options: t9k's create_run arguments, and runlog's project, dir and settings. */
const OPTIONS = new Set([...new Set(Object.values(FILE_KEYS)), 'configPath', 'dir', 'settings', 'host', 'apiKey']);

async function readRunConfig(path: string): Promise<Partial<CreateRunOptions>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RunlogError('INVALID_ARGUMENT', `cannot read the run config ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = extname(path) === '.json' ? JSON.parse(text) : (await import('yaml')).parse(text);
  } catch (error) {
    throw new RunlogError(
      'INVALID_ARGUMENT',
      `the run config ${path} is not valid YAML or JSON: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RunlogError(
      'INVALID_ARGUMENT',
      `the run config ${path} must be a mapping with name, hparams, labels, description`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const option = FILE_KEYS[key];
    if (option === undefined) {
      throw new InvalidValueError(
        `the run config ${path} has an unknown key "${key}" (known: ${Object.keys(FILE_KEYS).join(', ')})`,
        'INVALID_ARGUMENT',
      );
    }
    options[option] = value;
  }
  return options as Partial<CreateRunOptions>;
}

/**
 * t9k's create_run: a run from a YAML or JSON run config file and/or arguments; values from the file win. The
 * alternative name and the upload options are kept in run.json. `autoUpload: true` uploads the run to `folder` on
 * the server (RUNLOG_HOST / RUNLOG_API_KEY, or `host` and `apiKey`; none: NEEDS_SERVER): where it goes is decided
 * before the run starts (a refusal such as RUN_EXISTS fails createRun), and it streams while it trains, as an
 * online run does (a replace is swapped in at finish). Without autoUpload a run stays local, as in t9k.
 * The store is `dir`, else $RUNLOG_DIR, else t9k's $EM_RUN_PARENT_DIR, else ./runlog.
 * @example
 * const run = await createRun({ configPath: './run_config.yaml' });
 * run.logMetrics('train', { loss: 0.3 }, { step: 1, epoch: 0 });
 */
export async function createRun(options: CreateRunOptions = {}): Promise<Run> {
  if (typeof options !== 'object' || options === null)
    throw new InvalidValueError('createRun() takes an options object', 'INVALID_ARGUMENT');
  for (const option of Object.keys(options)) {
    if (!OPTIONS.has(option)) {
      throw new InvalidValueError(
        `createRun has no option "${option}" (options: ${[...OPTIONS].join(', ')})`,
        'INVALID_ARGUMENT',
      );
    }
  }
  const fromFile = options.configPath ? await readRunConfig(options.configPath) : {};
  const merged = { ...options, ...fromFile };
  if (merged.alternativeName !== undefined && typeof merged.alternativeName !== 'string')
    throw new InvalidValueError('alternativeName must be a string', 'INVALID_ARGUMENT');
  const upload = uploadSettings(merged);
  const server = upload.autoUpload ? uploadServer(options) : undefined;
  if (upload.autoUpload && !server) throw needsServerError('createRun({ autoUpload: true })');
  const extras: RunExtras = { alternativeName: merged.alternativeName, upload };
  const name = merged.name ?? 'default';
  const warn = (message: string) => options.settings?.quiet || process.emitWarning(message, { code: 'RUNLOG' });
  // The id is chosen here so that the server can decide where the run goes before anything is recorded.
  const id = generateRunId();
  const auto = server
    ? await planAutoUpload(
        { storeDir: '', project: '', id, name, alternativeName: merged.alternativeName },
        upload,
        server,
        warn,
        options.settings?.syncTimeoutMs ?? DEFAULT_SETTINGS.syncTimeoutMs,
      )
    : undefined;
  // t9k uploads only with autoUpload, and then into its folder: never init's own online mode to the local project.
  const run = await init({
    mode: 'offline',
    id: auto ? id : undefined,
    project: merged.project,
    dir: options.dir,
    name,
    config: merged.hparams,
    tags: merged.labels,
    notes: merged.description,
    settings: options.settings,
    [RUN_EXTRAS]: extras,
  } as Parameters<typeof init>[0]);
  if (auto) {
    auto.run = { ...auto.run, storeDir: run.storeDir, project: run.project };
    startAutoUpload(run, auto, warn);
  }
  return run;
}
