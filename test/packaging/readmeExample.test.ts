/**
 * The README openings the consumer test relies on, checked without installing anything: each publishable
 * package's README opens with its install block and a short example, and the CommonJS twin of an ESM example
 * really runs under Node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './childProcess.js';
import { repoRoot, workspacePackages } from './packedPackages.js';
import { publishable } from './publishable.js';
import { codeBlocks, packageName, readmeOpening, toCommonJs } from './readmeExample.js';

describe.each(publishable.map((entry) => [entry.dir, entry] as const))('packages/%s/README.md', (dir, entry) => {
  const readme = () => readFileSync(join(repoRoot, 'packages', dir, 'README.md'), 'utf8');
  const name = () => workspacePackages().find((pkg) => pkg.dir === dir)!.manifest.name;

  it('opens with an install block naming the package, then an example of at most twelve lines', () => {
    const opening = readmeOpening(readme(), entry.example === 'shell' ? 'shell' : 'script');
    expect(opening.installs.map(packageName)).toContain(name());
    expect(opening.example.code.split('\n').length).toBeLessThanOrEqual(12);
    if (entry.example !== 'shell' && entry.example !== 'none')
      expect(() => toCommonJs(opening.example.code)).not.toThrow();
  });
});

describe('readmeOpening', () => {
  const fence = '```';
  it('takes the block after the install block, before the first section', () => {
    const markdown = [
      '# pkg',
      `${fence}sh`,
      'npm i @runlog/core other@^2 --save   # a comment',
      'npm install -D third',
      fence,
      `${fence}js`,
      'console.log(1);',
      fence,
      '## Later',
      `${fence}js`,
      'console.log(2);',
      fence,
    ].join('\n');
    const opening = readmeOpening(markdown, 'script');
    expect(opening.installs).toEqual(['@runlog/core', 'other@^2', 'third']);
    expect(opening.example).toEqual({ lang: 'js', code: 'console.log(1);', line: 6 });
    expect(packageName('other@^2')).toBe('other');
    expect(packageName('@runlog/core@1.0.0')).toBe('@runlog/core');
  });

  it('refuses an opening without install block, without example, or with the wrong kind of example', () => {
    expect(() => readmeOpening(`# pkg\n${fence}js\nx\n${fence}\n`, 'script')).toThrow(/no install block/);
    expect(() =>
      readmeOpening(`# pkg\n${fence}sh\nnpm i a\n${fence}\n## Use\n${fence}js\nx\n${fence}\n`, 'script'),
    ).toThrow(/no example block/);
    expect(() => readmeOpening(`# pkg\n${fence}sh\nnpm i a\n${fence}\n${fence}js\nx\n${fence}\n`, 'shell')).toThrow(
      /expected one of/,
    );
    // A shell block with another command is an example, not an install block.
    expect(() => readmeOpening(`# pkg\n${fence}sh\nnpm i a\nls\n${fence}\n`, 'script')).toThrow(/no install block/);
  });

  it('refuses a code block that is never closed', () => {
    expect(() => codeBlocks(`${fence}js\nx\n`)).toThrow(/never closed/);
  });
});

describe('toCommonJs', () => {
  it('gives a script that runs under Node with the same imports and top-level await', async () => {
    const esm = [
      "import { join, basename as base } from 'node:path'; // a trailing comment",
      "import * as os from 'node:os';",
      "import 'node:process';",
      "const joined = await Promise.resolve(join('a', 'b'));",
      "console.log(joined, base('/x/y.txt'), typeof os.tmpdir);",
    ].join('\n');
    const output = await run(process.execPath, ['-e', toCommonJs(esm)], {
      cwd: repoRoot,
      env: process.env,
      timeoutMs: 30_000,
    });
    expect(output.code, output.stderr).toBe(0);
    expect(output.stdout.trim()).toBe('a/b y.txt function');
  });

  it('exits with code 1 when the example rejects', async () => {
    const output = await run(process.execPath, ['-e', toCommonJs("await Promise.reject(new Error('boom'));")], {
      cwd: repoRoot,
      env: process.env,
      timeoutMs: 30_000,
    });
    expect(output.code).toBe(1);
    expect(output.stderr).toContain('boom');
  });

  it('refuses import forms it cannot translate faithfully', () => {
    expect(() => toCommonJs("import tf from '@tensorflow/tfjs';")).toThrow(/unsupported import form/);
    expect(() => toCommonJs("import type { Run } from '@runlog/core';")).toThrow(/unsupported import form/);
  });
});
