import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Options } from '../../src/index.js';

export interface TestS3 {
  options: S3Options;
  /** Stops the S3 server for `downMs`, then serves the same folder on the same port again. */
  outage(downMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** s3rver (a real S3 REST API in Node) on a loopback port over a temp folder, with one bucket. */
export async function startS3(bucket = 'runlog'): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'runlog-s3-'));
  let server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  return {
    options: {
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    async outage(downMs) {
      await server.close();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = new S3rver({
        port,
        address: '127.0.0.1',
        directory,
        silent: true,
        configureBuckets: [{ name: bucket }],
      });
      await server.run();
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
