export { InvalidValueError, NotFoundError, RunFinishedError, RunlogError, StorageError } from './runlogError.js';
export type { RunlogErrorCode } from './runlogError.js';
