import { existsSync } from 'node:fs';
import { HttpError } from './httpError.js';
import { resolveInside } from './resolveInside.js';
import { type Route, route } from './route.js';
import { serveFile } from './serveFile.js';

/** The browser app (Vite's build output): hashed assets cached for long, index.html for every page path. */
export function appRoutes(appDir: string): Route[] {
  return [
    route('GET', '/assets/*', async ({ req, res, params }) => {
      await serveFile(
        req,
        res,
        await resolveInside(appDir, `assets/${params.rest}`),
        'public, max-age=31536000, immutable',
      );
    }),
    route('GET', '/*', async ({ req, res }) => {
      if (!existsSync(appDir))
        throw new HttpError(
          500,
          `the dashboard app is not built (${appDir} is missing): run pnpm --filter @runlog/ui build`,
        );
      await serveFile(req, res, await resolveInside(appDir, 'index.html'));
    }),
  ];
}
