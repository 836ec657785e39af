import { assertSafeName } from '@runlog/core/internal';
import { HttpError } from './httpError.js';

export interface RunRef {
  project: string;
  id: string;
}

/** Checks a project and run id from a URL (letters, digits, '-', '_', '.'), so no path can be built from junk. */
export function runRef(project: string | undefined, id: string | undefined): RunRef {
  try {
    assertSafeName('project', project);
    assertSafeName('run id', id);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  return { project, id };
}

/** 'project/id' lists from a query parameter: `runs=digits/a1,digits/b2`. */
export function runRefs(list: string | null): RunRef[] {
  if (!list) throw new HttpError(400, 'query parameter runs (project/id,...) is required');
  return list
    .split(',')
    .filter(Boolean)
    .map((path) => {
      const [project, id, extra] = path.split('/');
      if (extra !== undefined) throw new HttpError(400, `bad run path ${path}: use project/id`);
      return runRef(project, id);
    });
}

export function projectName(project: string | undefined): string {
  try {
    assertSafeName('project', project);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  return project;
}
