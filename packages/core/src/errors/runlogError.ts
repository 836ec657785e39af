/** Stable, machine-readable error codes. A code never changes meaning once released. */
export type RunlogErrorCode =
  | 'NO_ACTIVE_RUN'
  | 'RUN_FINISHED'
  | 'INVALID_ARGUMENT'
  | 'INVALID_VALUE'
  | 'INVALID_KEY'
  | 'CONFIG_LOCKED'
  | 'RUN_EXISTS'
  | 'RUN_BUSY'
  | 'RUN_LEASED'
  | 'RUN_NOT_FOUND'
  | 'STORAGE'
  | 'QUOTA_EXCEEDED'
  | 'ARTIFACT_NOT_FOUND'
  | 'ARTIFACT_INVALID'
  | 'ARTIFACT_TYPE_MISMATCH'
  | 'INTEGRITY'
  | 'ALREADY_WATCHED'
  | 'NOT_WATCHED'
  | 'DEPENDENCY_MISSING'
  | 'MEDIA_INVALID'
  | 'MEDIA_ENCODE'
  | 'FILTER_INVALID'
  | 'FILE_EXISTS'
  | 'STATE_TRANSITION'
  | 'SWEEP_CONFIG_INVALID'
  | 'SWEEP_NOT_FOUND'
  | 'SWEEP_STATE'
  | 'ROW_TOO_LARGE'
  | 'VALUE_TOO_LARGE'
  | 'NEEDS_SERVER'
  | 'INVALID_FOLDER'
  | 'FOLDER_NOT_FOUND'
  | 'FOLDER_CONFLICT'
  | 'SYNC_REFUSED'
  | 'SYNC_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'UNAVAILABLE';

const RUNLOG_ERROR: unique symbol = Symbol.for('runlog.error-class') as never;

/**
 * Base of every error runlog throws on purpose. `code` is stable; the message says what to do.
 * @example
 * try { log({ loss: 1 }) } catch (e) { if (e instanceof RunlogError && e.code === 'NO_ACTIVE_RUN') ... }
 */
export class RunlogError extends Error {
  /** Marks runlog's error classes (a global symbol: every copy of core shares it). */
  static readonly [RUNLOG_ERROR] = true;

  /**
   * `instanceof` also holds for an error made by another copy of core: its CommonJS entries (`@runlog/core`,
   * `@runlog/core/browser`) each bundle their own classes, and packages built on the browser-safe entry throw
   * those. An error matches a class when its prototype chain has a runlog error class of the same name.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof (maybe a subclass)
    return isErrorOf(this, value);
  }

  readonly code: RunlogErrorCode;

  constructor(code: RunlogErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A logged value or option that runlog cannot accept. Nothing from the failing call was recorded. */
export class InvalidValueError extends RunlogError {
  constructor(message: string, code: RunlogErrorCode = 'INVALID_VALUE') {
    super(code, message);
  }
}

/** The run is finished; methods that record data throw this instead of silently dropping it. */
export class RunFinishedError extends RunlogError {
  constructor(runPath: string, method: string) {
    super(
      'RUN_FINISHED',
      `run ${runPath} is finished: ${method}() cannot record anything more. Start a new run with init().`,
    );
  }
}

/** Reading or writing the store failed. */
export class StorageError extends RunlogError {
  constructor(message: string, cause?: unknown) {
    super('STORAGE', message, { cause });
  }
}

/** A named run, artifact version or alias does not exist. */
export class NotFoundError extends RunlogError {}

/** True when `value` is an instance of `errorClass`, or of a runlog error class of the same name (another copy). */
function isErrorOf(errorClass: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(errorClass, value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const made = proto.constructor as { name?: string; [RUNLOG_ERROR]?: boolean } | undefined;
    if (made?.[RUNLOG_ERROR] === true && made.name === errorClass.name) return true;
  }
  return false;
}
