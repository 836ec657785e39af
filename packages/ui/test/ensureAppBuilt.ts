import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

/** Builds the browser app with Vite when dist/app is missing or older than app/ (CI builds it with the package). */
export async function ensureAppBuilt(): Promise<void> {
  const index = join(packageDir, 'dist', 'app', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(packageDir, 'app'))) return;
  await build({ configFile: join(packageDir, 'app', 'vite.config.ts'), logLevel: 'warn' });
}
