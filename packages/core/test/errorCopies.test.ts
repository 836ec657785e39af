// core's CommonJS entries (`@runlog/core`, `@runlog/core/browser`) each bundle their own error classes; packages
// built on the browser-safe entry (@runlog/media, @runlog/tfjs) throw those. `instanceof` must hold across copies.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidValueError, RunFinishedError, RunlogError } from '../src/index.js';

const require = createRequire(import.meta.url);
const dist = join(import.meta.dirname, '..', 'dist');

describe('RunlogError instanceof', () => {
  it('holds for an error made by the other CommonJS entry (built core: run after `pnpm build`)', () => {
    const node = require(join(dist, 'index.cjs')) as typeof import('../src/index.js');
    const browser = require(join(dist, 'browser.cjs')) as typeof import('../src/browser.js');
    expect(browser.RunlogError).not.toBe(node.RunlogError); // two copies: what this guards against
    const fromBrowser = new browser.InvalidValueError('bad', 'INVALID_ARGUMENT');
    expect(fromBrowser instanceof node.RunlogError).toBe(true);
    expect(fromBrowser instanceof node.InvalidValueError).toBe(true);
    expect(fromBrowser instanceof node.RunFinishedError).toBe(false);
    expect(new node.RunFinishedError('p/r', 'log') instanceof browser.RunlogError).toBe(true);
  });

  it('keeps subclass checks exact and rejects what is not a runlog error', () => {
    // A subclass made elsewhere, as @runlog/media's errors are.
    class MediaInvalidError extends RunlogError {}
    const error = new MediaInvalidError('MEDIA_INVALID', 'bad image');
    expect(error instanceof RunlogError).toBe(true);
    expect(error instanceof MediaInvalidError).toBe(true);
    expect(error instanceof InvalidValueError).toBe(false);
    expect(new InvalidValueError('x') instanceof MediaInvalidError).toBe(false);
    expect(new Error('plain') instanceof RunlogError).toBe(false);
    // A look-alike named RunlogError without the mark is not one.
    class LookAlike extends Error {}
    Object.defineProperty(LookAlike, 'name', { value: 'RunlogError' });
    expect(new LookAlike('x') instanceof RunlogError).toBe(false);
    expect((null as unknown as object) instanceof RunlogError).toBe(false);
    expect((new RunFinishedError('p/r', 'log') as unknown) instanceof Error).toBe(true);
  });
});
