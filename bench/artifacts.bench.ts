// Logging a 1 GiB folder of 1,000 files as an artifact, against a bare crypto sha256 of the same bytes.
// Both file policies are measured: 'mutable' (default: bytes copied into the store) and 'immutable' (hard links).
// Targets (issue 3): logging >= 0.7x the sha256 throughput; re-logging the unchanged folder <= 5% of the first
// log; re-logging with one file changed stores only that file's bytes.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Artifact, ArtifactStore } from '@runlog/core';
import { interleave, median, printComparison, writeResults } from './lib/interleave.js';

const FILES = 1_000;
const FILE_BYTES = 1 << 20; // 1,000 x 1 MiB = 1000 MiB, about 1 GiB
const TOTAL_MB = (FILES * FILE_BYTES) / 1e6;

const base = mkdtempSync(join(tmpdir(), 'runlog-bench-artifacts-'));
const dataDir = join(base, 'data');
const files: string[] = [];

try {
  // Distinct contents (no dedupe helps the artifact side); aged so that no file is "just modified", as a
  // dataset on disk would be (a file modified in the last second is double-checked against racy writes).
  const block = randomBytes(FILE_BYTES);
  const old = new Date(Date.now() - 60_000);
  for (let i = 0; i < FILES; i++) {
    const dir = join(dataDir, `shard-${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    block.writeUInt32LE(i, 0);
    const path = join(dir, `part-${i}.bin`);
    writeFileSync(path, block);
    utimesSync(path, old, old);
    files.push(path);
  }

  let rep = 0;
  // Untimed, after each side that writes a GiB: the kernel writes those dirty pages back (and ext4 discards the
  // deleted store's blocks) before the next repetition starts, so no repetition pays for the previous one's
  // writeback. Without it, the copying side's median swung 0.35-0.84x from run to run on this VM.
  const settleDisk = () => execFileSync('sync');
  const logFolder = async (storeDir: string, policy: 'mutable' | 'immutable' = 'mutable') => {
    const artifact = new Artifact('dataset', 'dataset');
    await artifact.addDir(dataDir, { policy });
    return new ArtifactStore(storeDir).logArtifact(artifact, { project: 'bench', producer: null });
  };

  const firstLogSeconds: number[] = [];
  const firstLog = (policy: 'mutable' | 'immutable', seconds?: number[]) => async () => {
    const storeDir = join(base, `store-${rep++}`);
    global.gc?.();
    const t0 = performance.now();
    const result = await logFolder(storeDir, policy);
    const elapsed = (performance.now() - t0) / 1000;
    if (result.storedBytes !== FILES * FILE_BYTES) throw new Error(`stored ${result.storedBytes} bytes`);
    rmSync(storeDir, { recursive: true, force: true });
    settleDisk();
    seconds?.push(elapsed);
    return TOTAL_MB / elapsed;
  };

  const bareSha256 = async () => {
    global.gc?.();
    const t0 = performance.now();
    for (const path of files)
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    return TOTAL_MB / ((performance.now() - t0) / 1000);
  };

  // The ceiling of any copying logger: fs.copyFile of the same files (the disk's write speed).
  const bareCopy = async () => {
    const target = join(base, `copy-${rep++}`);
    mkdirSync(target);
    global.gc?.();
    const t0 = performance.now();
    for (const [i, path] of files.entries()) await copyFile(path, join(target, String(i)));
    const seconds = (performance.now() - t0) / 1000;
    rmSync(target, { recursive: true, force: true });
    settleDisk();
    return TOTAL_MB / seconds;
  };

  // A store that has the folder already, for the unchanged re-log.
  const warmStore = join(base, 'store-warm');
  await logFolder(warmStore);
  const relogSeconds: number[] = [];
  const relog = async () => {
    global.gc?.();
    const t0 = performance.now();
    const result = await logFolder(warmStore);
    const seconds = (performance.now() - t0) / 1000;
    if (result.created || result.hashedFiles !== 0) throw new Error('unchanged re-log hashed files');
    relogSeconds.push(seconds);
    return TOTAL_MB / seconds;
  };

  // Phase 1 never hard-links: links change the files' ctime, part of the stat cache key, which would make the
  // warm store's re-log miss its cache.
  const comparison = await interleave(
    `log a ${FILES}-file, ${TOTAL_MB.toFixed(0)} MB folder as an artifact (fresh store, default 'mutable' policy: bytes copied) vs bare sha256 of the same bytes; and the unchanged re-log`,
    [
      { name: "logArtifact, 'mutable' (copies)", run: firstLog('mutable', firstLogSeconds) },
      { name: 'crypto sha256 (readFile + hash)', run: bareSha256 },
      { name: 'logArtifact, unchanged re-log', run: relog },
      { name: 'fs.copyFile of the same files (no hash)', run: bareCopy },
    ],
    { repeats: 5, unit: 'MB/s', higherIsBetter: true },
  );
  printComparison(comparison);

  // The warm-up round of interleave() ran each side once more; compare only the timed repetitions
  // (the re-log is compared with the default, copying first log).
  const timedFirst = firstLogSeconds.slice(1);
  const timedRelog = relogSeconds.slice(1);
  const relogRatio = {
    median: median(timedRelog) / median(timedFirst),
    best: Math.min(...timedRelog) / Math.min(...timedFirst),
  };
  console.log(
    `  unchanged re-log / first log (seconds): median ${relogRatio.median.toFixed(4)}, best ${relogRatio.best.toFixed(4)}` +
      `  (re-log median ${(median(timedRelog) * 1000).toFixed(1)} ms, first log median ${(median(timedFirst) * 1000).toFixed(0)} ms)`,
  );

  // One file changed (rewritten in place, same size): only its bytes are stored.
  block.writeUInt32LE(0xffffffff, 0);
  writeFileSync(files[500], block);
  const changed = await logFolder(warmStore);
  console.log(
    `  one file changed: new version v${changed.record.version}, stored ${changed.storedBytes} bytes ` +
      `(the file has ${FILE_BYTES}), hashed ${changed.hashedFiles} file(s), ${changed.cachedFiles} from the stat cache`,
  );
  if (changed.storedBytes !== FILE_BYTES || changed.hashedFiles !== 1) throw new Error('one-file change stored more');

  // Phase 2: the 'immutable' policy hard-links the files into the store instead of copying them.
  const linked = await interleave(
    `log the same folder with policy 'immutable' (hard links, fresh store) vs bare sha256`,
    [
      { name: "logArtifact, 'immutable' (links)", run: firstLog('immutable') },
      { name: 'crypto sha256 (readFile + hash)', run: bareSha256 },
    ],
    { repeats: 5, unit: 'MB/s', higherIsBetter: true },
  );
  printComparison(linked);

  writeResults('artifacts', {
    mutable: comparison,
    immutable: linked,
    relogOverFirstLog: relogRatio,
    relogSeconds: timedRelog,
    firstLogSeconds: timedFirst,
    oneFileChanged: { storedBytes: changed.storedBytes, hashedFiles: changed.hashedFiles, fileBytes: FILE_BYTES },
  });
} finally {
  rmSync(base, { recursive: true, force: true });
}
