/// <reference lib="dom" />

/** The Web Lock a page holds while it writes a run: a later page load resumes the run's upload only when free. */
export function lockName(key: string): string {
  return `runlog:${key}`;
}
