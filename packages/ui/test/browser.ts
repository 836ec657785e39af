import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Debian's chromium, headless; never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Where screenshots go (gitignored): test-results/ui/<name>.png. */
export function screenshotPath(name: string): string {
  const dir = join(process.cwd(), 'test-results', 'ui');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}
