import { randomBytes } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ServerError } from '../http/serverError.js';
import { type BlobStore, blobKey } from './blobStore.js';
import { HashingReader, hashStream } from './hashingReader.js';

export interface S3Options {
  endpoint: string;
  bucket: string;
  /** Default AWS_REGION, else us-east-1 (S3-compatible servers mostly ignore it). */
  region?: string;
  /** Default from the environment (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) by the SDK's own chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Key prefix inside the bucket (default none). */
  prefix?: string;
  /** Lifetime of presigned URLs (default 3600 s). */
  urlSeconds?: number;
}

/** S3's limit for a single CopyObject; larger staged blobs are copied part by part. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;

/**
 * Blobs in an S3-compatible bucket (path-style addressing, checksums only where the API requires them, so
 * MinIO, Ceph or s3rver answer like AWS). Clients PUT parts to presigned URLs: large files never pass through
 * the server. Staging objects live under `staging/`, blobs under `sha256/`.
 */
export function s3BlobStore(options: S3Options): BlobStore {
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  const Bucket = options.bucket;
  const prefix = options.prefix ?? '';
  const expiresIn = options.urlSeconds ?? 3600;
  const stagingKey = (key: string) => `${prefix}staging/${key}`;
  const finalKey = (sha256: string) => `${prefix}${blobKey(sha256)}`;

  async function headSize(Key: string): Promise<{ size: number; etag: string } | undefined> {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return { size: head.ContentLength ?? 0, etag: head.ETag ?? '' };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NotFound') return undefined;
      throw error;
    }
  }

  async function getBody(Key: string, range?: { start: number; end: number }): Promise<Readable> {
    const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
    const object = await client.send(new GetObjectCommand({ Bucket, Key, Range }));
    return object.Body as Readable;
  }

  async function copyLarge(from: string, to: string, size: number): Promise<void> {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: to }));
    const parts: { PartNumber: number; ETag: string }[] = [];
    const step = 1024 ** 3;
    for (let start = 0, n = 1; start < size; start += step, n++) {
      const answer = await client.send(
        new UploadPartCopyCommand({
          Bucket,
          Key: to,
          UploadId,
          PartNumber: n,
          CopySource: `${Bucket}/${from}`,
          CopySourceRange: `bytes=${start}-${Math.min(size, start + step) - 1}`,
        }),
      );
      parts.push({ PartNumber: n, ETag: answer.CopyPartResult?.ETag ?? '' });
    }
    await client.send(
      new CompleteMultipartUploadCommand({ Bucket, Key: to, UploadId, MultipartUpload: { Parts: parts } }),
    );
  }

  return {
    kind: 's3',
    async stage(body, size, maxBytes) {
      if (size === undefined) throw new ServerError(400, 'INVALID_ARGUMENT', 'a blob PUT needs a Content-Length');
      const key = randomBytes(12).toString('hex');
      const hasher = new HashingReader(maxBytes, size);
      const piped = body.pipe(hasher).pipe(new PassThrough());
      body.on('error', (error) => piped.destroy(error));
      hasher.on('error', (error) => piped.destroy(error));
      await client.send(new PutObjectCommand({ Bucket, Key: stagingKey(key), Body: piped, ContentLength: size }));
      return { key, size: hasher.size, sha256: hasher.digest() };
    },
    async putVerified(sha256, bytes) {
      const command = new PutObjectCommand({ Bucket, Key: finalKey(sha256), Body: bytes, ContentLength: bytes.length });
      // The bytes were just hashed to `sha256`: that is the payload hash SigV4 signs, so the SDK does not hash
      // them a second time (and S3 checks the body against it).
      command.middlewareStack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers['x-amz-content-sha256'] = sha256;
          return next(args);
        },
        { step: 'build', name: 'runlogKnownPayloadHash' },
      );
      await client.send(command);
    },
    async promote(key, sha256) {
      const source = stagingKey(key);
      const target = finalKey(sha256);
      if (!(await headSize(target))) {
        const staged = await headSize(source);
        if (staged && staged.size > MAX_SINGLE_COPY) await copyLarge(source, target, staged.size);
        else await client.send(new CopyObjectCommand({ Bucket, Key: target, CopySource: `${Bucket}/${source}` }));
      }
      await client.send(new DeleteObjectCommand({ Bucket, Key: source }));
    },
    async discard(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: stagingKey(key) }));
    },
    async hashStaged(key) {
      return hashStream(await getBody(stagingKey(key)));
    },
    exists: async (sha256) => (await headSize(finalKey(sha256))) !== undefined,
    read: (sha256, range) => getBody(finalKey(sha256), range),
    presignedGet: (sha256) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket, Key: finalKey(sha256) }), { expiresIn }),
    async createUpload(key, partCount) {
      if (partCount <= 1) return null; // one part: a presigned PutObject straight to the staging key
      const answer = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: stagingKey(key) }));
      return answer.UploadId ?? null;
    },
    async partTarget(upload, number) {
      const Key = stagingKey(upload.stagingKey);
      const url =
        upload.storageUploadId === null
          ? await getSignedUrl(client, new PutObjectCommand({ Bucket, Key }), { expiresIn })
          : await getSignedUrl(
              client,
              new UploadPartCommand({ Bucket, Key, UploadId: upload.storageUploadId, PartNumber: number }),
              { expiresIn },
            );
      return { url, headers: {} };
    },
    async writePart() {
      throw new ServerError(400, 'INVALID_ARGUMENT', 'parts of an S3 upload go to their presigned URLs');
    },
    async assemble(upload, parts) {
      if (upload.storageUploadId === null) return;
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: stagingKey(upload.stagingKey),
          UploadId: upload.storageUploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.number, ETag: p.etag })) },
        }),
      );
    },
    async abortUpload(upload) {
      if (upload.storageUploadId !== null) {
        await client
          .send(
            new AbortMultipartUploadCommand({
              Bucket,
              Key: stagingKey(upload.stagingKey),
              UploadId: upload.storageUploadId,
            }),
          )
          .catch(() => {});
      }
      await client.send(new DeleteObjectCommand({ Bucket, Key: stagingKey(upload.stagingKey) })).catch(() => {});
    },
    close: async () => client.destroy(),
  };
}
