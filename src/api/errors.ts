import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { JobsFileError } from '../jobs-file/load-jobs-file.js';
import { SchedulerError, type SchedulerErrorCode } from '../scheduler/errors.js';
import { StaleDeployError } from '../scheduler/deploy-stamp.js';
import { JobExistsError } from '../scheduler/store.js';
import type { ErrorBody } from './schema/common.js';

/** Engine error codes and their HTTP statuses, in one place. */
const STATUS_OF: Record<SchedulerErrorCode, number> = {
  job_not_found: 404,
  job_exists: 409,
  invalid_kwargs: 400,
  invalid_trigger: 400,
  invalid_definition: 400,
  unknown_job_type: 400,
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Details,
  ) {
    super(message);
  }
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(error);
  // Expected refusals (ours, the engine's, Fastify's 4xx) are answers, not failures worth a log line.
  if (status === 500) request.log.error({ err: error }, 'request failed');
  if (status === 401) void reply.header('www-authenticate', 'Bearer');
  void reply.status(status).send(body);
}

function toErrorBody(error: FastifyError | Error): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.statusCode, body: body(error.code, error.message, error.details) };
  if (error instanceof SchedulerError) return { status: STATUS_OF[error.code], body: body(error.code, error.message, error.details) };
  if (error instanceof JobExistsError) return { status: 409, body: body('job_exists', error.message) };
  if (error instanceof StaleDeployError) return { status: 409, body: body('stale_jobs_file', error.message) };
  if (error instanceof JobsFileError) {
    return { status: 400, body: body('invalid_jobs_file', `${error.file} is invalid; running definitions are unchanged`, error.problems.map((message) => ({ field: error.file, message }))) };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => {
      const params = v.params as { missingProperty?: string; additionalProperty?: string };
      const field = [fastifyError.validationContext, ...v.instancePath.split('/').filter(Boolean), params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.');
      return { field, message: params.additionalProperty ? 'unknown field' : (v.message ?? 'invalid') };
    });
    return { status: 400, body: body('invalid_request', details.map((d) => `${d.field}: ${d.message}`).join('; '), details) };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) return { status, body: body('body_too_large', 'request body is larger than the limit') };
  if (status >= 400 && status < 500) return { status, body: body(fastifyError.code?.toLowerCase() ?? 'bad_request', fastifyError.message) };
  return { status: 500, body: body('internal', 'internal error; see the server log') };
}

type Details = readonly { readonly field: string; readonly message: string }[];

function body(error: string, message: string, details?: Details): ErrorBody {
  return details?.length ? { error, message, details: [...details] } : { error, message };
}
