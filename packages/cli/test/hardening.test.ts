import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Artifact, ArtifactStore, init } from '@runlog/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runlog } from './runlog.js';

// #19 items 10 and 15: what `runlog ls --filter` and `runlog export` do with hostile input.
let dir: string;
let runId: string;
const settings = { console: false, systemMetrics: false, quiet: true, processHooks: false } as const;

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'runlog-cli-hardening-'));
  const run = await init({ project: 'p', dir, name: `${'a'.repeat(30)}c`, settings });
  run.log({ note: '=HYPERLINK("http://x","y")', at: '@SUM(A1)', plus: '+1', minus: '-2', tab: '\tx', n: -3 });
  await run.finish();
  runId = run.id;
  await (await init({ project: 'p', dir, name: 'aab', settings })).finish();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runlog ls --filter with $regex', () => {
  it('answers a catastrophic-backtracking pattern at once', async () => {
    // Against the same command with a harmless pattern: starting the CLI dominates on a loaded machine, and a
    // backtracking engine needs tens of seconds more for this name.
    let started = performance.now();
    const benign = await runlog(['ls', '-d', dir, '--json', '--filter', '{"name":{"$regex":"^a+b$"}}']);
    const benignMs = performance.now() - started;
    started = performance.now();
    const result = await runlog(['ls', '-d', dir, '--json', '--filter', '{"name":{"$regex":"^(a+)+b$"}}']);
    const evilMs = performance.now() - started;
    expect(benign.code).toBe(0);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ name: string }>).map((r) => r.name)).toEqual(['aab']);
    expect(evilMs).toBeLessThan(2 * benignMs + 5000);
  });

  it('refuses an oversized pattern as a usage error', async () => {
    const filter = JSON.stringify({ name: { $regex: 'a'.repeat(1001) } });
    const result = await runlog(['ls', '-d', dir, '--filter', filter]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('FILTER_INVALID');
  });
});

describe('runlog export', () => {
  it('refuses to replace an existing file without --force, and replaces it with --force', async () => {
    const out = join(dir, 'kept.csv');
    writeFileSync(out, 'mine');
    const refused = await runlog(['export', runId, '-d', dir, '-o', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('FILE_EXISTS');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await runlog(['export', runId, '-d', dir, '-o', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('_step');
  });

  it("prefixes CSV cells that a spreadsheet would run as formulas with ', and --keep-formulas keeps them raw", async () => {
    const safe = join(dir, 'safe.csv');
    expect((await runlog(['export', runId, '-d', dir, '-o', safe, '-k', 'note,at,plus,minus,tab,n'])).code).toBe(0);
    const text = readFileSync(safe, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(`"'@SUM(A1)"`);
    expect(text).toContain(`"'+1"`);
    expect(text).toContain(`"'-2"`);
    expect(text).toContain(`"'\tx"`);
    expect(text).toMatch(/,-3(,|\n)/); // a number stays a number
    const raw = join(dir, 'raw.csv');
    expect((await runlog(['export', runId, '-d', dir, '-o', raw, '--keep-formulas'])).code).toBe(0);
    const rawText = readFileSync(raw, 'utf8');
    expect(rawText).toContain('"=HYPERLINK(""http://x"",""y"")"');
    expect(rawText).toContain(',@SUM(A1),');
  });
});

describe('runlog artifact gc --min-age', () => {
  it('refuses a grace period under a minute without --force, and warns under ten minutes', async () => {
    const refused = await runlog(['artifact', 'gc', '-d', dir, '--min-age', '0s', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('shorter than a commit may take');
    const forced = await runlog(['artifact', 'gc', '-d', dir, '--min-age', '0s', '--yes', '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('warning: --min-age 0s');
    const quiet = await runlog(['artifact', 'gc', '-d', dir, '--min-age', '10m']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).not.toContain('warning');
  });
});

describe('runlog artifact get --no-references', () => {
  it('copies the stored files and skips file:// references', async () => {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'private');
    const kept = join(dir, 'kept.txt');
    writeFileSync(kept, 'stored');
    const artifact = new Artifact('refs', 'dataset');
    await artifact.addReference(pathToFileURL(secret).href, { checksum: false });
    await artifact.addFile(kept);
    await new ArtifactStore(dir).logArtifact(artifact, { project: 'p', producer: null });
    const out = join(dir, 'got');
    const result = await runlog(['artifact', 'get', 'p/refs:v0', '-d', dir, '-o', out, '--no-references']);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, 'kept.txt'), 'utf8')).toBe('stored');
    expect(() => readFileSync(join(out, 'secret.txt'))).toThrow();
  });
});
