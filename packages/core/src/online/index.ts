// Online runs (issue 16): a run streams its local store to a runlog server while it trains.
export { ATTACH_ONLINE, type OnlineLink } from './onlineLink.js';
export { downloadRun } from './onlineResume.js';
export { type OnlineSession, openSession, prepareOnlineRun } from './onlineSession.js';
export { OnlineSyncer, type OnlineSyncStatus } from './onlineSyncer.js';
export { dashboardUrl, type OnlineTarget, type RunMode, resolveMode } from './onlineTarget.js';
export { LEASE_TTL_MS, newWriterId, RunLease } from './runLease.js';
export { type OnlineRunSettings, type StartOnlineSyncOptions, startOnlineSync } from './startOnlineSync.js';
