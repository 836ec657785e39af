import {
  type Artifact,
  ArtifactInvalidError,
  ArtifactTypeMismatchError,
  InvalidValueError,
  type Run,
  RunlogError,
} from '@runlog/core';
import type { InferenceSession } from 'onnxruntime-node';

/**
 * Uses a model artifact logged by `logModel` (recorded as an input of `run`) and opens its .onnx file in an
 * onnxruntime-node InferenceSession. `ref` is `name`, `name:alias`, `name:v3` or `project/name:alias`.
 * @example
 * const session = await loadSession(run, 'digits-cnn:production', { intraOpNumThreads: 1 });
 */
export async function loadSession(
  run: Run,
  ref: string,
  sessionOptions: InferenceSession.SessionOptions = {},
): Promise<InferenceSession> {
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new InvalidValueError(
      "loadSession() needs an artifact reference such as 'classifier:latest'",
      'INVALID_ARGUMENT',
    );
  }
  const artifact = await run.useArtifact(ref);
  if (!artifact.type.includes('model')) {
    throw new ArtifactTypeMismatchError(
      `loadSession: ${artifact.qualifiedName} has type '${artifact.type}', not a model: log ONNX models with logModel()`,
    );
  }
  const path = await artifact.file(onnxEntryOf(artifact));
  const ort = await importOnnxRuntime();
  try {
    return await ort.InferenceSession.create(path, sessionOptions);
  } catch (cause) {
    throw new ArtifactInvalidError(
      `loadSession: onnxruntime could not open ${artifact.qualifiedName} (${(cause as Error).message})`,
    );
  }
}

/** The .onnx entry: the one logModel recorded, else the only .onnx file of the version. */
function onnxEntryOf(artifact: Artifact): string {
  const recorded = artifact.metadata.file;
  const names = artifact.files().map((f) => f.path);
  if (typeof recorded === 'string' && names.includes(recorded)) return recorded;
  const onnxFiles = names.filter((name) => name.toLowerCase().endsWith('.onnx'));
  if (onnxFiles.length !== 1) {
    throw new ArtifactInvalidError(
      `loadSession: ${artifact.qualifiedName} holds ${onnxFiles.length} .onnx files; it needs exactly one`,
    );
  }
  return onnxFiles[0];
}

async function importOnnxRuntime(): Promise<typeof import('onnxruntime-node')> {
  try {
    return await import('onnxruntime-node');
  } catch (cause) {
    throw new RunlogError(
      'DEPENDENCY_MISSING',
      'loadSession() needs onnxruntime-node: install it next to @runlog/onnx (pnpm add onnxruntime-node)',
      { cause },
    );
  }
}
