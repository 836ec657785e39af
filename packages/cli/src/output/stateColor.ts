import type { Colors } from './colors.js';

/** A run state coloured the way dashboards do: green finished, blue running, red failed/crashed. */
export function colorState(colors: Colors, state: string): string {
  switch (state) {
    case 'finished':
      return colors.green(state);
    case 'running':
    case 'preempting':
      return colors.blue(state);
    case 'failed':
    case 'crashed':
      return colors.red(state);
    case 'killed':
      return colors.magenta(state);
    default:
      return colors.yellow(state);
  }
}
