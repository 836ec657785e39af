import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Artifact, ArtifactInvalidError, InvalidValueError, type JsonObject, type Run } from '@runlog/core';
import { type OnnxModelMetadata, readOnnxMetadata } from './readOnnxMetadata.js';

export interface LogModelOptions {
  /** Artifact name; default `run-<run id>-<file name without .onnx>` (or `run-<run id>-model` for bytes). */
  name?: string;
  aliases?: string[];
  /** Extra metadata, merged over what the file says about itself. */
  metadata?: JsonObject;
  description?: string;
}

/** The metadata a model artifact logged by `logModel` carries. */
export type OnnxArtifactMetadata = { format: 'onnx'; file: string } & OnnxModelMetadata;

/**
 * Logs an ONNX model (a path or the file's bytes) as an artifact of type 'model' holding the .onnx file, with
 * metadata read from the file: IR version, opsets, producer, graph inputs and outputs (symbolic dimensions
 * kept), initializer and parameter counts. A file that is not a complete ONNX model fails with
 * ARTIFACT_INVALID before anything is logged.
 * @example
 * const model = await logModel(run, 'classifier.onnx', { name: 'digits-cnn', aliases: ['production'] });
 * model.metadata.parameterCount; // 1234
 */
export async function logModel(
  run: Run,
  pathOrBytes: string | Uint8Array,
  options: LogModelOptions = {},
): Promise<Artifact> {
  const isPath = typeof pathOrBytes === 'string';
  if (!isPath && !(pathOrBytes instanceof Uint8Array)) {
    throw new InvalidValueError(
      'logModel() takes the path of an .onnx file or its bytes (a Uint8Array)',
      'INVALID_ARGUMENT',
    );
  }
  const bytes = isPath ? await readModelFile(pathOrBytes) : pathOrBytes;
  const metadata = readOnnxMetadata(bytes, isPath ? pathOrBytes : 'the model bytes');
  const stem = isPath ? basename(pathOrBytes).replace(/\.onnx$/i, '') : 'model';
  const file = `${stem}.onnx`;
  const artifact = new Artifact(options.name ?? `run-${run.id}-${stem}`, 'model', {
    description: options.description ?? `ONNX model ${metadata.graphName || stem}`,
    metadata: { format: 'onnx', file, ...toJson(metadata), ...(options.metadata ?? {}) },
  });
  // Bytes are staged in a private temp folder: the artifact store copies them in when it logs the version.
  const staging = isPath ? undefined : await mkdtemp(join(tmpdir(), 'runlog-onnx-'));
  try {
    if (staging) {
      const staged = join(staging, file);
      await writeFile(staged, bytes);
      await artifact.addFile(staged, { name: file });
    } else await artifact.addFile(pathOrBytes as string, { name: file });
    return await run.logArtifact(artifact, { aliases: options.aliases });
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true });
  }
}

async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ArtifactInvalidError(
      code === 'ENOENT' ? `logModel: no file at ${path}` : `logModel: cannot read ${path} (${code ?? String(error)})`,
    );
  }
}

function toJson(metadata: OnnxModelMetadata): JsonObject {
  return {
    ...metadata,
    opsetImports: metadata.opsetImports.map((o) => ({ ...o })),
    inputs: metadata.inputs.map((v) => ({ ...v, shape: v.shape })),
    outputs: metadata.outputs.map((v) => ({ ...v, shape: v.shape })),
    metadataProps: { ...metadata.metadataProps },
  };
}
