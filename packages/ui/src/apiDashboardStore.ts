import type { DashboardStore } from './dashboardStore.js';

// Placeholder until core's read API (Api) lands: replaced by the adapter over it.
export function apiDashboardStore(dir: string): DashboardStore {
  throw new Error(`core's read API is not available yet (store ${dir})`);
}
