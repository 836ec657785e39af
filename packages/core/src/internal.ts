// @runlog/core/internal: helpers the sibling packages (media, tfjs, ui, cli) share with core. Not public API:
// names and signatures may change in any release. Readers of a store use the store-access seam instead.

export { withLock } from './artifacts/collectionLock.js';
export { mapWithConcurrency } from './artifacts/mapWithConcurrency.js';
export { readJsonLines } from './jsonLines/readJsonLines.js';
export { effectiveState, isProcessAlive } from './run/liveness.js';
export { atomicWriteFile, atomicWriteFileSync, atomicWriteJson, atomicWriteJsonSync } from './storage/atomicWrite.js';
export { readJson, readJsonSync } from './storage/readJson.js';
export { assertSafeName, RUN_FILES, resolveStoreDir, storePaths } from './storage/storePaths.js';
export * from './sync/index.js';
export * from './sync/node/index.js';
