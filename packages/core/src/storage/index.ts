export { readJsonLines } from '../jsonLines/readJsonLines.js';
export { atomicWriteFile, atomicWriteFileSync, atomicWriteJson, atomicWriteJsonSync } from './atomicWrite.js';
export { readJson, readJsonSync } from './readJson.js';
export { assertSafeName, FORMAT_VERSION, RUN_FILES, resolveStoreDir, storePaths } from './storePaths.js';
