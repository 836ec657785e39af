// `node --import tsx scripts/pack-sizes.ts`: packs every publishable package (after `pnpm build`) and prints
// a Markdown table of its tarball size and unpacked size, for release notes and issue closing notes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, workspacePackages } from '../test/packaging/packedPackages.js';
import { publishable } from '../test/packaging/publishable.js';

const destination = mkdtempSync(join(tmpdir(), 'runlog-pack-sizes-'));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
try {
  const workspace = workspacePackages();
  console.log('| package | version | files | tarball | unpacked |\n| --- | --- | --- | --- | --- |');
  for (const entry of publishable) {
    const pkg = workspace.find((candidate) => candidate.dir === entry.dir);
    if (!pkg) throw new Error(`packages/${entry.dir} does not exist`);
    const packed = await pack(pkg, destination);
    const { name, version } = packed.manifest;
    console.log(
      `| ${name} | ${version} | ${packed.files.length} | ${kib(packed.packedBytes)} | ${kib(packed.unpackedBytes)} |`,
    );
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}
