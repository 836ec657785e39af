import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliStore, makeCliStore } from './cliStore.js';
import { assertBuilt, runlog } from './runlog.js';

let store: CliStore;
const ESC = '\u001b[';

beforeAll(async () => {
  assertBuilt();
  store = await makeCliStore();
}, 120_000);

const d = () => ['--dir', store.dir];

describe('runlog ls', () => {
  it('prints a table of runs with state, runtime and summary columns', async () => {
    const { code, stdout, stderr } = await runlog(['ls', ...d()]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^RUN\s+NAME\s+STATE\s+RUNTIME\s+CREATED/);
    expect(lines).toHaveLength(6); // header + 5 runs
    expect(stdout).toMatch(new RegExp(`vision/${store.ids.alpha}\\s+alpha\\s+finished`));
    expect(stdout).toMatch(/live\/crash01\s+\S+\s+crashed/);
    expect(stdout).toMatch(/beta\s+failed/);
    expect(stdout).not.toContain(ESC); // not a terminal: no colours
  });

  it('filters, sorts, picks columns, and prints JSON for scripts', async () => {
    const sorted = await runlog([
      'ls',
      ...d(),
      '--project',
      'vision',
      '--sort',
      'summary.loss',
      '--columns',
      'loss,config.lr',
      '--json',
    ]);
    expect(sorted.code).toBe(0);
    const runs = JSON.parse(sorted.stdout) as { name: string; state: string; summary: Record<string, unknown> }[];
    expect(runs.map((r) => r.name)).toEqual(['alpha', 'beta', 'producer']);
    expect(runs[0].summary.odd).toEqual({ _type: 'float', value: 'NaN' }); // the store's codec (docs/FORMAT.md)
    const descending = await runlog(['ls', ...d(), '-p', 'vision', '--sort', '-summary.loss', '--json']);
    expect(JSON.parse(descending.stdout).map((r: { name: string }) => r.name)).toEqual(['beta', 'alpha', 'producer']);
    const filtered = await runlog(['ls', ...d(), '-p', 'vision', '-f', '{"config.lr":{"$lt":0.05}}', '-c', 'loss']);
    expect(filtered.stdout.trim().split('\n')).toHaveLength(2);
    expect(filtered.stdout).toMatch(/^ID\s+NAME\s+STATE\s+RUNTIME\s+CREATED\s+loss/);
    expect(filtered.stdout).toMatch(/beta\s+failed\s+\S+\s+\S+ \S+\s+0\.1/);
  });

  it('colours only on a terminal or when forced, never with NO_COLOR', async () => {
    const forced = await runlog(['ls', ...d()], { FORCE_COLOR: '1' });
    expect(forced.stdout).toContain(`${ESC}32mfinished`);
    const noColor = await runlog(['ls', ...d()], { NO_COLOR: '1' });
    expect(noColor.stdout).not.toContain(ESC);
  });

  it('runs over an empty store without failing', async () => {
    const { code, stderr } = await runlog(['ls', '--dir', join(store.dir, 'nothing-here')]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/no runs in/);
  });
});

describe('runlog show', () => {
  it('prints config, summary, metadata and sparklines', async () => {
    const { code, stdout } = await runlog(['show', store.ids.alpha, ...d()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/alpha vision\/\w+\s+finished/);
    expect(stdout).toMatch(/Config\n\s+lr\s+0\.1\n\s+model\.layers\s+3/);
    expect(stdout).toMatch(/Summary\n[\s\S]*loss\s+0\.002/);
    expect(stdout).toMatch(/Metadata\n[\s\S]*node\s+v\d+/);
    const spark = /loss\s+([▁▂▃▄▅▆▇█ ]{40})/.exec(stdout);
    expect(spark?.[1][0]).toBe('█'); // loss falls: high first
    expect(spark?.[1].at(-1)).toBe('▁');
    expect(/acc\s+([▁▂▃▄▅▆▇█]{40})/.exec(stdout)?.[1].at(-1)).toBe('█');
  });

  it('finds runs by name and prints JSON with the series', async () => {
    const { stdout } = await runlog(['show', 'beta', ...d(), '--json', '--width', '10']);
    const run = JSON.parse(stdout);
    expect(run).toMatchObject({ name: 'beta', state: 'failed', exitCode: 2 });
    expect(run.series.loss).toHaveLength(10);
    expect(run.series.loss[0]).toBeGreaterThan(run.series.loss[9]);
  });
});

describe('runlog export', () => {
  it('writes csv, jsonl and parquet files that read back', async () => {
    const csv = join(store.dir, 'alpha.csv');
    const r1 = await runlog(['export', `vision/${store.ids.alpha}`, ...d(), '--out', csv]);
    expect(r1).toMatchObject({ code: 0, stderr: '' }); // no progress bar off a terminal
    expect(r1.stdout).toMatch(/wrote 500 rows/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(501);
    expect(lines[0]).toBe('_step,_runtime,_timestamp,loss,acc,odd');
    expect(lines[4].endsWith(',NaN')).toBe(true);

    const jsonl = join(store.dir, 'alpha.jsonl');
    const r2 = await runlog([
      'export',
      store.ids.alpha,
      ...d(),
      '-o',
      jsonl,
      '--keys',
      'loss',
      '--min-step',
      '10',
      '--max-step',
      '20',
      '--json',
    ]);
    expect(JSON.parse(r2.stdout)).toMatchObject({ format: 'jsonl', rows: 10 });
    expect(JSON.parse(readFileSync(jsonl, 'utf8').split('\n')[0])).toEqual({ _step: 10, loss: 1 / 11 });

    const parquet = join(store.dir, 'alpha.parquet');
    expect((await runlog(['export', store.ids.alpha, ...d(), '--format', 'parquet', '--out', parquet])).code).toBe(0);
    const bytes = readFileSync(parquet);
    const rows = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    });
    expect(rows).toHaveLength(500);
    expect(rows[499]).toMatchObject({ _step: 499n, loss: 1 / 500, acc: 499 / 500 });
  });
});

describe('runlog artifact', () => {
  it('lists collections and versions, shows one, downloads it', async () => {
    const ls = await runlog(['artifact', 'ls', ...d()]);
    expect(ls.stdout).toMatch(/vision\/digits\s+dataset\s+1\s+.*best:v0/);
    const versions = await runlog(['artifact', 'ls', 'vision/digits', ...d(), '--json']);
    expect(JSON.parse(versions.stdout)[0]).toMatchObject({
      version: 0,
      fileCount: 2,
      producer: { runId: store.ids.producer },
    });
    const show = await runlog(['artifact', 'show', 'vision/digits:best', ...d()]);
    expect(show.stdout).toMatch(/vision\/digits:v0\s+dataset/);
    expect(show.stdout).toMatch(/labels\.txt\s+4 B/);
    const out = join(store.dir, 'downloaded');
    const get = await runlog(['artifact', 'get', 'vision/digits:latest', ...d(), '--out', out]);
    expect(get.code).toBe(0);
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe('x,y\n1,2\n');
    const gc = await runlog(['artifact', 'gc', ...d(), '--json']);
    expect(JSON.parse(gc.stdout)).toMatchObject({ dryRun: true, objectsRemoved: 0, objects: 2 });
  });

  it('a half-written version (no version.json) does not break listing', async () => {
    const half = join(store.dir, 'vision', 'artifacts', 'digits', 'versions', 'v1');
    (await import('node:fs')).mkdirSync(half, { recursive: true });
    writeFileSync(join(half, 'manifest.json'), '{"entries":');
    const ls = await runlog(['artifact', 'ls', 'vision/digits', ...d()]);
    expect(ls.stderr).not.toMatch(/TypeError|at /);
    const show = await runlog(['artifact', 'show', 'vision/digits:latest', ...d()]);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('vision/digits:v0');
    (await import('node:fs')).rmSync(half, { recursive: true });
  });
});

describe('runlog gc', () => {
  it('lists crashed runs in a dry run, deletes them with --yes', async () => {
    const dry = await runlog(['gc', ...d()]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/live\/crash01\s+\S+\s+crashed/);
    expect(dry.stdout).toMatch(/1 run, .* would be deleted\. Run again with --yes/);
    expect(existsSync(join(store.dir, 'live', 'runs', 'crash01'))).toBe(true);
    const old = await runlog(['gc', ...d(), '--older-than', '1h', '--json']);
    expect(JSON.parse(old.stdout).runs).toEqual([]);
    const real = await runlog(['gc', ...d(), '--yes', '--json']);
    expect(JSON.parse(real.stdout)).toMatchObject({ dryRun: false, deleted: ['live/crash01'], failures: [] });
    expect(existsSync(join(store.dir, 'live', 'runs', 'crash01'))).toBe(false);
  });
});

describe('bad input: clear messages and exit codes', () => {
  const cases: [string, string[], number, RegExp][] = [
    ['unknown command', ['frobnicate'], 2, /unknown command "frobnicate"/],
    ['unknown option', ['ls', '--colour'], 2, /Unknown option '--colour'/],
    ['filter is not JSON', ['ls', '--filter', '{state:'], 2, /--filter is not JSON/],
    [
      'filter with an unknown field',
      ['ls', '--filter', '{"colour":"red"}'],
      2,
      /FILTER_INVALID: unknown field "colour"/,
    ],
    [
      'filter with a wrong type',
      ['ls', '--filter', '{"summary.loss":{"$in":3}}'],
      2,
      /FILTER_INVALID: filters.summary.loss.\$in must be an array/,
    ],
    [
      'unknown project',
      ['ls', '--project', 'nope'],
      1,
      /RUN_NOT_FOUND: project "nope" not found .*projects: live, nlp, vision|projects: nlp, vision/,
    ],
    ['unknown run', ['show', 'vision/zzzz'], 1, /RUN_NOT_FOUND: run vision\/zzzz not found/],
    ['unknown run name', ['show', 'nobody'], 1, /no run with id or name "nobody"/],
    ['missing argument', ['show'], 2, /missing <run>/],
    [
      'absent metric',
      ['export', 'alpha', '--keys', 'nope', '--out', '/tmp/x.csv'],
      1,
      /INVALID_KEY: no history row has "nope"/,
    ],
    ['bad format', ['export', 'alpha', '--format', 'xlsx'], 2, /--format must be one of csv, jsonl, parquet/],
    ['bad duration', ['gc', '--older-than', 'soon'], 2, /--older-than must look like 30d/],
    ['bad artifact subcommand', ['artifact', 'rm'], 2, /unknown subcommand "rm"/],
    ['unknown artifact', ['artifact', 'show', 'vision/nope:latest'], 1, /ARTIFACT_NOT_FOUND/],
  ];
  for (const [what, args, code, message] of cases) {
    it(what, async () => {
      const result = await runlog([...args, ...d()]);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(result.code).toBe(code);
    });
  }

  it('a run folder without run.json is skipped with a warning', async () => {
    const broken = join(store.dir, 'vision', 'runs', 'halfway');
    (await import('node:fs')).mkdirSync(broken, { recursive: true });
    const { code, stdout, stderr } = await runlog(['ls', ...d(), '-p', 'vision']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/warning: skipped vision\/halfway: run vision\/halfway is incomplete/);
    expect(stdout).toContain('alpha');
    (await import('node:fs')).rmSync(broken, { recursive: true });
  });

  it('--help works on every command and exits 0', async () => {
    for (const command of ['ls', 'show', 'tail', 'export', 'artifact', 'gc', 'ui']) {
      const { code, stdout } = await runlog([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: runlog ${command}`));
      expect(stdout).toContain('--dir');
    }
    // A subcommand's --help is its own: the TensorBoard export's options, not the CSV export's.
    for (const command of ['export', 'import']) {
      const { code, stdout } = await runlog([command, 'tensorboard', '--help']);
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^Usage: runlog ${command} tensorboard`));
      expect(stdout).not.toContain('--keep-formulas');
    }
    const top = await runlog(['--help']);
    expect(top.stdout).toMatch(/Commands:\n\s+ls\s+list runs/);
    expect((await runlog([])).code).toBe(2);
  });
});
