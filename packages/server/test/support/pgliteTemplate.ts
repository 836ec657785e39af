import { cpSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const TEMPLATE = join(tmpdir(), `runlog-test-pglite-${PGlite.name}-0.5`);

/**
 * Puts a freshly initialised PGlite database into `<data>/pglite`, copied from a template made once per machine:
 * PGlite's initdb takes 10-30 s in WASM, and most test files need an empty database, not a new initdb. (One
 * test file, ingest.test.ts, starts from an empty folder to keep the real first start covered.)
 */
export async function seedEmbeddedData(data: string): Promise<void> {
  if (!existsSync(TEMPLATE)) {
    const building = `${TEMPLATE}.tmp-${process.pid}`;
    const db = await PGlite.create(building);
    await db.close();
    try {
      renameSync(building, TEMPLATE);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another test file made it first
    }
  }
  mkdirSync(data, { recursive: true });
  cpSync(TEMPLATE, join(data, 'pglite'), { recursive: true });
}
