// Child process for the distributed test: one worker of a group adds its shard to the version 'job-1'.
// argv: <storeDir> <runId> <index>
import { join } from 'node:path';
import { Artifact } from '../../src/artifacts/artifact.js';
import { RunArtifacts } from '../../src/artifacts/runArtifacts.js';

const [storeDir, runId, index] = process.argv.slice(2);
const artifacts = new RunArtifacts({
  storeDir,
  project: 'p',
  runId,
  runDir: join(storeDir, 'p', 'runs', runId),
  emit: () => {},
  reportError: (error) => {
    throw error;
  },
});
const shard = new Artifact('shards', 'dataset');
shard.newFile(`shard-${index}.txt`).end(`rows of shard ${index}\n`);
await artifacts.upsertArtifact(shard, { distributedId: 'job-1' });
await artifacts.settle();
