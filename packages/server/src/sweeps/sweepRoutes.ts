import { decodeJsonValue, encodeJson } from '@runlog/core';
import type { AgentRecord, SweepStatus, TrialRecord } from '@runlog/sweeps';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { canSee, requireRole } from '../auth/roles.js';
import { safeName } from '../http/names.js';
import { param } from '../http/params.js';
import { readJsonObject } from '../http/requestBody.js';
import type { ServerContext } from '../http/serverContext.js';
import { ServerError } from '../http/serverError.js';
import { SweepService } from './sweepService.js';

const SWEEP = '/api/v1/projects/:project/sweeps/:sweep';
const STATUSES: readonly SweepStatus[] = ['running', 'paused', 'finished', 'canceled'];
const TRIAL_STATES = ['running', 'finished', 'failed', 'stopped', 'killed', 'crashed'];
/** What an agent may change in a trial: its outcome, never its identity, parameters or grid point. */
const TRIAL_CHANGES: Record<string, (v: unknown) => boolean> = {
  state: (v) => typeof v === 'string' && TRIAL_STATES.includes(v),
  stopReason: (v) => typeof v === 'string',
  endedAt: (v) => typeof v === 'string',
  exitCode: (v) => v === null || Number.isInteger(v),
  value: (v) => typeof v === 'number',
  lastValue: (v) => typeof v === 'number',
  steps: (v) => Number.isInteger(v),
  bandValues: (v) => typeof v === 'object' && v !== null && Object.values(v).every((n) => typeof n === 'number'),
};

const bad = (message: string) => new ServerError(400, 'INVALID_ARGUMENT', message);

/** Answers in runlog's value codec (a trial's metric may be NaN or ±Infinity). */
function send(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(encodeJson(value));
}

function sweepParams(request: Parameters<typeof param>[0]): { project: string; id: string } {
  return { project: safeName('project', param(request, 'project')), id: safeName('sweep id', param(request, 'sweep')) };
}

function agentOf(body: Record<string, unknown>): AgentRecord {
  const agent = body.agent as Record<string, unknown> | undefined;
  if (typeof agent !== 'object' || agent === null) throw bad('the body needs {"agent": {...}}');
  safeName('agent id', agent.id);
  if (!Number.isInteger(agent.pid) || typeof agent.host !== 'string' || typeof agent.startedAt !== 'string')
    throw bad('an agent has id, pid (integer), host, startedAt and at');
  if (typeof agent.at !== 'string' || (agent.endedAt !== undefined && typeof agent.endedAt !== 'string'))
    throw bad('an agent has id, pid (integer), host, startedAt and at');
  const { id, pid, host, startedAt, at, endedAt } = agent as unknown as AgentRecord;
  return { id, pid, host: host.slice(0, 200), startedAt, at, ...(endedAt === undefined ? {} : { endedAt }) };
}

function trialChangeOf(body: Record<string, unknown>): Partial<TrialRecord> {
  const change = decodeJsonValue(body.change) as Record<string, unknown> | undefined;
  if (typeof change !== 'object' || change === null || Array.isArray(change))
    throw bad('the body needs {"change": {...}}');
  for (const [key, value] of Object.entries(change)) {
    if (!(key in TRIAL_CHANGES)) throw bad(`a trial's ${JSON.stringify(key.slice(0, 40))} cannot be changed`);
    if (!TRIAL_CHANGES[key](value)) throw bad(`a trial's ${key} cannot be ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return change as Partial<TrialRecord>;
}

/**
 * Sweeps shared by agents on several machines (docs/SERVER.md, "Sweeps"): create, find, read, pause/resume/
 * stop/cancel, claim the next trial, record a trial's outcome, agent heartbeats. Reading needs the read role on
 * the project, everything else write.
 */
export function sweepRoutes(app: FastifyInstance, { db }: ServerContext): void {
  const service = new SweepService(db);

  app.post('/api/v1/projects/:project/sweeps', async (request, reply) => {
    const project = safeName('project', param(request, 'project'));
    requireRole(request.principal, project, 'write');
    const body = await readJsonObject(request);
    return send(reply, await service.create(project, body.config));
  });

  // A sweep by id alone, among the projects the token can see.
  app.get('/api/v1/sweeps/:sweep', async (request, reply) => {
    const id = safeName('sweep id', param(request, 'sweep'));
    const projects = (await service.projectsOf(id)).filter((p) => canSee(request.principal, p));
    if (projects.length === 0) throw new ServerError(404, 'SWEEP_NOT_FOUND', `sweep ${JSON.stringify(id)} not found`);
    return send(reply, { project: projects[0], id });
  });

  app.get(SWEEP, async (request, reply) => {
    const { project, id } = sweepParams(request);
    requireRole(request.principal, project, 'read');
    return send(reply, await service.snapshot(project, id));
  });

  app.put(`${SWEEP}/state`, async (request, reply) => {
    const { project, id } = sweepParams(request);
    requireRole(request.principal, project, 'write');
    const { state } = await readJsonObject(request);
    if (!STATUSES.includes(state as SweepStatus)) throw bad(`state must be one of ${STATUSES.join(', ')}`);
    return send(reply, await service.setStatus(project, id, state as SweepStatus));
  });

  app.post(`${SWEEP}/claim`, async (request, reply) => {
    const { project, id } = sweepParams(request);
    requireRole(request.principal, project, 'write');
    return send(reply, await service.claim(project, id, agentOf(await readJsonObject(request))));
  });

  app.patch(`${SWEEP}/trials/:trial`, async (request, reply) => {
    const { project, id } = sweepParams(request);
    requireRole(request.principal, project, 'write');
    const trialId = safeName('trial id', param(request, 'trial'));
    const change = trialChangeOf(await readJsonObject(request));
    return send(reply, await service.updateTrial(project, id, trialId, change));
  });

  app.put(`${SWEEP}/agents/:agent`, async (request, reply) => {
    const { project, id } = sweepParams(request);
    requireRole(request.principal, project, 'write');
    const agent = agentOf(await readJsonObject(request));
    if (agent.id !== param(request, 'agent')) throw bad('the agent in the body is not the one in the path');
    await service.beat(project, id, agent);
    return send(reply, { ok: true });
  });
}
