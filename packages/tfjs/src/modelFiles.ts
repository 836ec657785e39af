import { io } from '@tensorflow/tfjs-core';

/**
 * A layers model's artifacts as the two files tfjs-node's file:// writes: model.json (its weights manifest naming
 * `weightsPath`) and the weights in one buffer. Shared by the Node folder handler and the browser's checkpoints.
 */
export function modelFiles(
  artifacts: io.ModelArtifacts,
  weightsPath: string,
): { modelJson: io.ModelJSON; weights: ArrayBuffer } {
  const weightsManifest: io.WeightsManifestConfig = [{ paths: [weightsPath], weights: artifacts.weightSpecs ?? [] }];
  const weights = artifacts.weightData ? io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
  // Same fields, same order, as tfjs-core's getModelJSONForModelArtifacts (used by tfjs-node's file://).
  const modelJson: io.ModelJSON = {
    modelTopology: artifacts.modelTopology as io.ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest,
  };
  if (artifacts.signature != null) modelJson.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.modelInitializer != null) modelJson.modelInitializer = artifacts.modelInitializer;
  if (artifacts.initializerSignature != null) modelJson.initializerSignature = artifacts.initializerSignature;
  if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
  return { modelJson, weights };
}
