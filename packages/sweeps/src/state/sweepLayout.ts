import { join } from 'node:path';
import { storePaths } from '@runlog/core/internal';

/** Where a sweep lives in the local store (docs/FORMAT.md, "Sweeps"). Written only by @runlog/sweeps. */
export const sweepLayout = {
  sweeps: (store: string, project: string) => join(storePaths.project(store, project), 'sweeps'),
  sweep: (store: string, project: string, id: string) => join(storePaths.project(store, project), 'sweeps', id),
  files: {
    sweep: 'sweep.json',
    trials: 'trials.json',
    agents: 'agents',
    lock: 'lock',
  },
} as const;
