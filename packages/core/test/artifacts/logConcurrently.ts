// Child process for the concurrency test: logs the artifact 'shared' several times, as fast as it can.
// argv: <storeDir> <workDir> <index> <startAt epoch ms> <rounds>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Artifact } from '../../src/artifacts/artifact.js';
import { ArtifactStore } from '../../src/artifacts/artifactStore.js';

const [storeDir, workDir, indexText, startAtText, roundsText] = process.argv.slice(2);
const index = Number(indexText);
const store = new ArtifactStore(storeDir);
const results: { round: number; version: number; digest: string; created: boolean }[] = [];

// Everyone starts together to make the lock contended.
while (Date.now() < Number(startAtText)) await new Promise((resolve) => setTimeout(resolve, 1));

for (let round = 0; round < Number(roundsText); round++) {
  // Even children log identical content each round; odd children log their own.
  const content = index % 2 === 0 ? `shared round ${round}` : `child ${index} round ${round}`;
  const dir = join(workDir, `child-${index}`, `round-${round}`);
  mkdirSync(join(dir, 'nested'), { recursive: true });
  writeFileSync(join(dir, 'data.txt'), content);
  writeFileSync(join(dir, 'nested', 'more.bin'), Buffer.alloc(50_000 + round, round));
  const artifact = new Artifact('shared', 'dataset');
  await artifact.addDir(dir);
  const result = await store.logArtifact(artifact, {
    project: 'p',
    aliases: [`c${index}`],
    producer: { project: 'p', runId: `child-${index}` },
  });
  results.push({ round, version: result.record.version, digest: result.record.digest, created: result.created });
}
process.stdout.write(`${JSON.stringify(results)}\n`);
