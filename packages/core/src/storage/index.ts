export { atomicWriteFile, atomicWriteFileSync, atomicWriteJson, atomicWriteJsonSync } from './atomicWrite.js';
export { readJsonLines } from './jsonLines.js';
export { readJson, readJsonSync } from './readJson.js';
export { assertSafeName, FORMAT_VERSION, RUN_FILES, resolveStoreDir, storePaths } from './storePaths.js';
