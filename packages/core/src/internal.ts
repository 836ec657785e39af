// @runlog/core/internal: helpers the sibling packages (media, tfjs, ui, cli) share with core. Not public API:
// names and signatures may change in any release. Readers of a store use the store-access seam instead.

// The run listing's rules, for the team server to filter, order and normalise runs exactly as a local store does.
export { compileRunFilter } from './api/runFilter.js';
export { compileRunOrder } from './api/runOrder.js';
export { checkRunPatch } from './api/runPatch.js';
export { assertTransition } from './api/stateTransitions.js';
export { withLock } from './artifacts/collectionLock.js';
export { mapWithConcurrency } from './artifacts/mapWithConcurrency.js';
export { pendingRunRecord } from './fileAccess/pendingRun.js';
export { normalizeRecord, runtimeOf } from './fileAccess/runSnapshot.js';
export { readJsonLines } from './jsonLines/readJsonLines.js';
export * from './online/index.js';
export { effectiveState, isProcessAlive } from './run/liveness.js';
export { atomicWriteFile, atomicWriteFileSync, atomicWriteJson, atomicWriteJsonSync } from './storage/atomicWrite.js';
export { readJson, readJsonSync } from './storage/readJson.js';
export { assertSafeName, RUN_FILES, resolveStoreDir, storePaths } from './storage/storePaths.js';
export * from './sync/index.js';
export * from './sync/node/index.js';
