/**
 * A run's folder name under a logdir: its name with anything but letters, digits, '.', '_' and '-' replaced by '_'
 * (a name never becomes a path: no '/', no '..'), at most 100 characters.
 */
export function runFolderName(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .slice(0, 100)
    .replace(/^\.+$/, '_');
  return safe === '' ? '_' : safe;
}
