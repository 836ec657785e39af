import { InvalidValueError, NotFoundError, RunlogError } from '../errors/runlogError.js';

/** No artifact collection, version or alias matches the name that was asked for. */
export class ArtifactNotFoundError extends NotFoundError {
  constructor(message: string) {
    super('ARTIFACT_NOT_FOUND', message);
  }
}

/** An artifact, entry name, alias or option that cannot be accepted. Nothing from the failing call was stored. */
export class ArtifactInvalidError extends InvalidValueError {
  constructor(message: string) {
    super(message, 'ARTIFACT_INVALID');
  }
}

/** The artifact exists but has another type than the one asked for (or a model was expected). */
export class ArtifactTypeMismatchError extends RunlogError {
  constructor(message: string) {
    super('ARTIFACT_TYPE_MISMATCH', message);
  }
}

/** One problem `verify()` or `download()` found: the entry and what is wrong with it. */
export interface IntegrityProblem {
  path: string;
  reason: 'missing' | 'size' | 'digest' | 'changed';
  detail: string;
}

/** Stored or downloaded bytes do not match the manifest, or a file changed while it was being logged. */
export class IntegrityError extends RunlogError {
  readonly problems: IntegrityProblem[];

  constructor(message: string, problems: IntegrityProblem[]) {
    const shown = problems
      .slice(0, 5)
      .map((p) => `${p.path}: ${p.detail}`)
      .join('; ');
    const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
    super('INTEGRITY', problems.length ? `${message}: ${shown}${more}` : message);
    this.problems = problems;
  }
}
