import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCommand, loadSweepConfig, MACROS, SweepConfigError, validateSweepConfig } from '@runlog/sweeps';
import { describe, expect, it } from 'vitest';

const base = { method: 'random', metric: { name: 'loss' } };

describe('sweep config', () => {
  it('reads every distribution with wandb defaults, infers distributions and flattens nested parameters', () => {
    const config = validateSweepConfig({
      ...base,
      parameters: {
        epochs: { value: 5 },
        optimizer: { values: ['adam', 'sgd'] },
        units: { min: 8, max: 64 },
        dropout: { min: 0.1, max: 0.5 },
        lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
        q: { distribution: 'q_uniform', min: 0, max: 1 },
        n: { distribution: 'normal' },
        deep: { parameters: { width: { distribution: 'q_log_uniform_values', min: 16, max: 256, q: 8 } } },
      },
    });
    const byKey = Object.fromEntries(config.parameters.map((p) => [p.key, p]));
    expect(config.parameters.map((p) => p.key)).toEqual([
      'deep.width',
      'dropout',
      'epochs',
      'lr',
      'n',
      'optimizer',
      'q',
      'units',
    ]);
    expect(byKey.epochs.distribution).toBe('constant');
    expect(byKey.optimizer.distribution).toBe('categorical');
    expect(byKey.units.distribution).toBe('int_uniform');
    expect(byKey.dropout.distribution).toBe('uniform');
    expect(byKey.n).toMatchObject({ mu: 0, sigma: 1 });
    expect(byKey.q).toMatchObject({ q: 1 });
    expect(byKey['deep.width']).toMatchObject({ path: ['deep', 'width'], q: 8 });
  });

  it.each([
    [{ ...base, method: 'hill' }, 'method'],
    [{ ...base, parameters: {} }, 'parameters'],
    [{ ...base, parameters: { lr: { min: 1, max: 0.5 } } }, 'parameters.lr.max'],
    [{ ...base, parameters: { lr: { distribution: 'gamma', min: 1, max: 2 } } }, 'parameters.lr.distribution'],
    [{ ...base, parameters: { lr: { distribution: 'log_uniform_values', min: 0, max: 1 } } }, 'parameters.lr.min'],
    [{ ...base, parameters: { lr: { distribution: 'uniform', min: 0, max: 1, mu: 3 } } }, 'parameters.lr.mu'],
    [{ ...base, parameters: { lr: { distribution: 'normal', sigma: -1 } } }, 'parameters.lr.sigma'],
    [{ ...base, parameters: { lr: { distribution: 'q_uniform', min: 0, max: 1, q: 0 } } }, 'parameters.lr.q'],
    [{ ...base, parameters: { lr: { values: [] } } }, 'parameters.lr.values'],
    [{ ...base, parameters: { lr: { values: [1, 2], probabilities: [0.5] } } }, 'parameters.lr.probabilities'],
    [{ ...base, parameters: { lr: {} } }, 'parameters.lr'],
    [{ ...base, parameters: { a: { parameters: { b: { min: 2, max: 1 } } } } }, 'parameters.a.parameters.b.max'],
    [{ method: 'bayes', parameters: { a: { values: [1] } } }, 'metric'],
    [{ ...base, metric: { name: 'loss', goal: 'up' }, parameters: { a: { values: [1] } } }, 'metric.goal'],
    [{ method: 'grid', parameters: { a: { min: 0.5, max: 1.5 } } }, 'parameters.a.distribution'],
    [{ ...base, parameters: { a: { values: [1] } }, run_cap: 0 }, 'run_cap'],
    [{ ...base, parameters: { a: { values: [1] } }, early_terminate: { type: 'median' } }, 'early_terminate.type'],
    [
      { ...base, parameters: { a: { values: [1] } }, early_terminate: { type: 'hyperband', eta: 1, min_iter: 1 } },
      'early_terminate.eta',
    ],
    [
      {
        ...base,
        parameters: { a: { values: [1] } },
        early_terminate: { type: 'hyperband', max_iter: 2, s: 2, eta: 3 },
      },
      'early_terminate.max_iter',
    ],
    [{ ...base, parameters: { a: { values: [1] } }, early_terminate: { type: 'hyperband' } }, 'early_terminate'],
    [{ ...base, parameters: { a: { values: [1] } }, command: 'node train.js' }, 'command'],
    [{ ...base, parameters: { a: { values: [1] } }, methd: 'grid' }, 'methd'],
  ])('names the field of a bad config (%#: %s)', (document, field) => {
    let error: unknown;
    try {
      validateSweepConfig(document);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SweepConfigError);
    expect((error as SweepConfigError).code).toBe('SWEEP_CONFIG_INVALID');
    expect((error as SweepConfigError).field).toBe(field);
    expect((error as Error).message).toContain(field);
  });

  it('loads YAML and JSON files; a syntax error names the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runlog-sweep-config-'));
    try {
      await writeFile(
        join(dir, 'sweep.yaml'),
        'method: grid\nmetric:\n  name: val_loss\n  goal: minimize\nparameters:\n  lr:\n    values: [0.1, 0.01]\nprogram: train.js\n',
      );
      await writeFile(
        join(dir, 'sweep.json'),
        JSON.stringify({ method: 'random', parameters: { a: { min: 0, max: 1 } } }),
      );
      await writeFile(join(dir, 'bad.yaml'), 'method: [grid\n');
      // As wandb: a range written with a decimal point is uniform, one written with integers int_uniform.
      await writeFile(
        join(dir, 'ranges.yaml'),
        'method: random\nparameters:\n  f: { min: -5.0, max: 10 }\n  i: { min: -5, max: 10 }\n',
      );
      await writeFile(
        join(dir, 'ranges.json'),
        '{"method": "random", "parameters": {"f": {"min": 0, "max": 1.0}, "i": {"min": 0, "max": 1}}}',
      );
      for (const file of ['ranges.yaml', 'ranges.json']) {
        const ranges = await loadSweepConfig(join(dir, file));
        expect(ranges.parameters.map((p) => p.distribution)).toEqual(['uniform', 'int_uniform']);
        expect(typeof (ranges.parameters[1] as { max: unknown }).max).toBe('number');
      }
      expect((await loadSweepConfig(join(dir, 'sweep.yaml'))).parameters[0]).toMatchObject({
        key: 'lr',
        values: [0.1, 0.01],
      });
      expect((await loadSweepConfig(join(dir, 'sweep.json'))).method).toBe('random');
      await expect(loadSweepConfig(join(dir, 'bad.yaml'))).rejects.toThrow(/bad\.yaml is not valid YAML/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("expands wandb's command macros", () => {
    const params = { lr: 0.1, name: 'a b', opt: { beta: 0.9 } };
    expect(buildCommand({ program: 'train.js', params, node: 'node' })).toEqual([
      '/usr/bin/env',
      'node',
      'train.js',
      '--lr=0.1',
      '--name=a b',
      '--opt={"beta":0.9}',
    ]);
    expect(buildCommand({ program: 'train.ts', params: {}, node: '/n' })).toEqual([
      '/n',
      '--import',
      'tsx',
      'train.ts',
    ]);
    expect(
      buildCommand({
        command: [
          'python3',
          MACROS.program,
          MACROS.argsNoHyphens,
          '--json',
          MACROS.argsJson,
          `--file=${MACROS.argsJsonFile}`,
        ],
        program: 'p.py',
        params: { lr: 0.1 },
        argsJsonFile: '/tmp/x.json',
      }),
    ).toEqual(['python3', 'p.py', 'lr=0.1', '--json', '{"lr":0.1}', '--file=/tmp/x.json']);
    expect(() => buildCommand({ params: {} })).toThrow(/program/);
  });
});
