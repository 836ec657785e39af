import { hostname } from 'node:os';
import { isProcessAlive } from '@runlog/core/internal';
import type { AgentRecord } from './sweepRecords.js';

/** How often an agent rewrites its heartbeat. */
export const AGENT_HEARTBEAT_MS = 5_000;
/** An agent on another host is gone after this long without a heartbeat. */
export const AGENT_STALE_MS = 6 * AGENT_HEARTBEAT_MS;

/** The liveness rule of agents, as core's for runs: a dead pid on this host, or a stale heartbeat elsewhere. */
export function agentAlive(agent: AgentRecord | undefined, now = Date.now()): boolean {
  if (!agent || agent.endedAt) return false;
  if (agent.host === hostname()) return isProcessAlive(agent.pid);
  const at = Date.parse(agent.at);
  return Number.isFinite(at) && now - at <= AGENT_STALE_MS;
}
