export type { RunlogErrorCode } from './runlogError.js';
export { InvalidValueError, NotFoundError, RunFinishedError, RunlogError, StorageError } from './runlogError.js';
