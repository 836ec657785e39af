import { hostname } from 'node:os';

let counter = 0;

/**
 * A new event file's name as TensorFlow and TensorBoard's writers make them:
 * `events.out.tfevents.<unix seconds, 10 digits>.<host>.<pid>.<n>` (TensorBoard finds files by "tfevents").
 */
export function eventFileName(now = Date.now()): string {
  const seconds = String(Math.floor(now / 1000)).padStart(10, '0');
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_') || 'host';
  return `events.out.tfevents.${seconds}.${host}.${process.pid}.${counter++}`;
}

/** True for a file name TensorBoard reads as an event file. */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}
