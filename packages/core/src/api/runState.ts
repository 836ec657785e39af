// The liveness rule lives with the engine (run/liveness.ts), so the engine's resume and every reader agree.
export { readerState, STALE_HEARTBEATS, type StateEvidence, toEpochMs } from '../run/liveness.js';
