/**
 * Resolves a key path (docs/FORMAT.md, "Values"): the whole path as a top-level key first (keys may contain
 * `.` or `/`), then the longest-prefix-first split at each `.` into nested objects. Undefined when absent.
 */
export function resolveKeyPath(source: unknown, path: string): unknown {
  if (source === null || typeof source !== 'object') return undefined;
  const object = source as Record<string, unknown>;
  if (Object.hasOwn(object, path)) return object[path];
  let dot = path.lastIndexOf('.');
  while (dot > 0) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(object, head)) {
      const found = resolveKeyPath(object[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.lastIndexOf('.', dot - 1);
  }
  return undefined;
}
