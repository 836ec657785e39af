import { hyperbandBands } from '../hyperband/hyperbandBands.js';
import { gridValues } from '../search/gridValues.js';
import { DEFAULT_COMMAND } from './commandLine.js';
import type { HyperbandConfig, SearchMethod, SweepConfig, SweepMetric } from './sweepConfig.js';
import { SweepConfigError } from './sweepConfigError.js';
import { validateParameters } from './validateParameters.js';

/** Top-level fields of wandb's sweep configuration that runlog reads (entity and controller are accepted, unused). */
const TOP_LEVEL = [
  'method',
  'metric',
  'parameters',
  'early_terminate',
  'run_cap',
  'program',
  'command',
  'name',
  'description',
  'project',
  'entity',
  'controller',
  'seed',
] as const;
const METHODS: readonly SearchMethod[] = ['grid', 'random', 'bayes'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Validates a wandb sweep configuration (already parsed from YAML or JSON) and normalises it. Any problem throws
 * a SweepConfigError naming the field, before anything runs.
 * @example
 * const config = validateSweepConfig({ method: 'grid', parameters: { lr: { values: [0.1, 0.01] } } });
 */
export function validateSweepConfig(document: unknown): SweepConfig {
  if (!isObject(document))
    throw new SweepConfigError('(root)', 'a sweep config is a mapping (method, parameters, ...)');
  for (const key of Object.keys(document)) {
    if (!(TOP_LEVEL as readonly string[]).includes(key))
      throw new SweepConfigError(key, `is not a sweep config field (fields: ${TOP_LEVEL.join(', ')})`);
  }
  const method = document.method;
  if (!METHODS.includes(method as SearchMethod))
    throw new SweepConfigError('method', `must be one of ${METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  const parameters = validateParameters(document.parameters);
  const metric = document.metric === undefined ? undefined : validateMetric(document.metric);
  const earlyTerminate =
    document.early_terminate === undefined ? undefined : validateHyperband(document.early_terminate);
  if (method === 'bayes' && !metric) throw new SweepConfigError('metric', 'bayes search needs a metric to optimise');
  if (earlyTerminate && !metric) throw new SweepConfigError('metric', 'early_terminate needs a metric');
  if (method === 'grid') {
    for (const parameter of parameters) gridValues(parameter); // throws naming the parameter
  }
  const config: SweepConfig = {
    method: method as SearchMethod,
    metric,
    parameters,
    earlyTerminate,
    runCap: optionalInteger(document, 'run_cap', 1),
    program: optionalString(document, 'program'),
    command: validateCommand(document.command),
    name: optionalString(document, 'name'),
    description: optionalString(document, 'description'),
    project: optionalString(document, 'project'),
    seed: optionalInteger(document, 'seed', 0),
    raw: document,
  };
  return config;
}

function validateMetric(metric: unknown): SweepMetric {
  if (!isObject(metric)) throw new SweepConfigError('metric', 'must be a mapping with name and goal');
  for (const key of Object.keys(metric)) {
    if (!['name', 'goal', 'target'].includes(key))
      throw new SweepConfigError(`metric.${key}`, 'is not a metric field (name, goal, target)');
  }
  if (typeof metric.name !== 'string' || metric.name.length === 0)
    throw new SweepConfigError('metric.name', 'must be the name of a logged value, e.g. val_loss');
  const goal = metric.goal ?? 'minimize';
  if (goal !== 'minimize' && goal !== 'maximize')
    throw new SweepConfigError('metric.goal', `must be minimize or maximize, got ${JSON.stringify(goal)}`);
  if (metric.target !== undefined && (typeof metric.target !== 'number' || !Number.isFinite(metric.target)))
    throw new SweepConfigError('metric.target', 'must be a number');
  return { name: metric.name, goal, target: metric.target as number | undefined };
}

function validateHyperband(section: unknown): HyperbandConfig {
  const field = 'early_terminate';
  if (!isObject(section)) throw new SweepConfigError(field, 'must be a mapping with type: hyperband');
  for (const key of Object.keys(section)) {
    if (!['type', 'min_iter', 'max_iter', 's', 'eta', 'strict'].includes(key))
      throw new SweepConfigError(
        `${field}.${key}`,
        'is not a hyperband field (type, min_iter, max_iter, s, eta, strict)',
      );
  }
  if (section.type !== 'hyperband')
    throw new SweepConfigError(`${field}.type`, `must be hyperband, got ${JSON.stringify(section.type)}`);
  const eta = section.eta ?? 3;
  if (typeof eta !== 'number' || !(eta > 1)) throw new SweepConfigError(`${field}.eta`, 'must be a number above 1');
  if (section.strict !== undefined && typeof section.strict !== 'boolean')
    throw new SweepConfigError(`${field}.strict`, 'must be true or false');
  const config: HyperbandConfig = { type: 'hyperband', eta, strict: section.strict !== false };
  if (section.max_iter !== undefined) {
    config.maxIter = optionalInteger(section, 'max_iter', 1, field);
    if (typeof section.s !== 'number' || !(section.s > 0))
      throw new SweepConfigError(`${field}.s`, 'must be a number above 0 when max_iter is given');
    config.s = section.s;
  } else if (section.min_iter !== undefined) {
    config.minIter = optionalInteger(section, 'min_iter', 1, field);
  } else throw new SweepConfigError(field, 'give min_iter (and eta), or max_iter and s');
  if (hyperbandBands(config).length === 0)
    throw new SweepConfigError(`${field}.max_iter`, 'gives no bracket: increase max_iter or s, or decrease eta');
  return config;
}

function validateCommand(command: unknown): string[] | undefined {
  if (command === undefined) return undefined;
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === 'string'))
    throw new SweepConfigError('command', `must be a non-empty list of strings, e.g. [${DEFAULT_COMMAND.join(', ')}]`);
  return command;
}

function optionalString(document: Record<string, unknown>, key: string): string | undefined {
  const value = document[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new SweepConfigError(key, 'must be a string');
  return value;
}

function optionalInteger(document: Record<string, unknown>, key: string, min: number, parent?: string) {
  const value = document[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    throw new SweepConfigError(parent ? `${parent}.${key}` : key, `must be an integer of at least ${min}`);
  return value;
}
