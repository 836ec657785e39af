/**
 * The packages a built file imports, by name: `from '...'`, `import('...')` and `require('...')` with a bare
 * specifier (not relative, not `node:` or a Node built-in). Anything a package imports must be declared in
 * its package.json, or a user's install can lack it (the shared consumer project would hide that by hoisting).
 */
import { builtinModules } from 'node:module';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)(['"])([^'"\s]+)\1/g;
const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function importedPackages(code: string): Set<string> {
  const names = new Set<string>();
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[2];
    if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) continue;
    const name = packageOf(specifier);
    if (!BUILTINS.has(name)) names.add(name);
  }
  return names;
}

export interface DependencyFields {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function declaredPackages(manifest: DependencyFields): Set<string> {
  return new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
}
