import type { FastifyRequest } from 'fastify';
import { safeName } from './names.js';
import { ServerError } from './serverError.js';

type Params = Record<string, string | undefined>;

/** `project` and `run` of a run route, checked against the name alphabet. */
export function runParams(request: FastifyRequest): { project: string; runId: string } {
  const params = request.params as Params;
  return { project: safeName('project', params.project), runId: safeName('run id', params.run) };
}

export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Params)[name] ?? '');
}

/** A query parameter that must be a whole number >= 0 (undefined when absent and optional). */
export function integerQuery(request: FastifyRequest, name: string, required: true): number;
export function integerQuery(request: FastifyRequest, name: string, required?: false): number | undefined;
export function integerQuery(request: FastifyRequest, name: string, required = false): number | undefined {
  const raw = (request.query as Params)[name];
  if (raw === undefined || raw === '') {
    if (required) throw new ServerError(400, 'INVALID_ARGUMENT', `the query needs ${name}=<whole number>`);
    return undefined;
  }
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new ServerError(
      400,
      'INVALID_ARGUMENT',
      `${name} must be a whole number >= 0, got ${JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return value;
}

/** A number query parameter (any finite number). */
export function numberQuery(request: FastifyRequest, name: string): number | undefined {
  const raw = (request.query as Params)[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new ServerError(400, 'INVALID_ARGUMENT', `${name} must be a number`);
  return value;
}

export function stringQuery(request: FastifyRequest, name: string): string | undefined {
  const raw = (request.query as Params)[name];
  return raw === undefined || raw === '' ? undefined : String(raw);
}
