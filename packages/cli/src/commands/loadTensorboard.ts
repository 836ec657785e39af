import { RunlogError } from '@runlog/core';

/** @runlog/tensorboard, loaded only by the commands that need it (an optional peer of the CLI). */
export async function loadTensorboard(command: string): Promise<typeof import('@runlog/tensorboard')> {
  try {
    return await import('@runlog/tensorboard');
  } catch (error) {
    throw new RunlogError(
      'DEPENDENCY_MISSING',
      `runlog ${command} needs the @runlog/tensorboard package: npm install @runlog/tensorboard`,
      { cause: error },
    );
  }
}
