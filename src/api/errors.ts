import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { JobsFileError } from '../jobs-file/load-jobs-file.js';
import { SchedulerError, type SchedulerErrorCode } from '../scheduler/errors.js';
import { JobExistsError } from '../scheduler/store.js';

/** The one error body of the API. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly details?: readonly { readonly field: string; readonly message: string }[];
}

/** Engine error codes and their HTTP statuses, in one place. */
const STATUS_OF: Record<SchedulerErrorCode, number> = {
  job_not_found: 404,
  job_exists: 409,
  invalid_kwargs: 400,
  invalid_trigger: 400,
  invalid_definition: 400,
  unknown_job_type: 400,
  not_running: 503,
};

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorBody['details'],
  ) {
    super(message);
  }
}

export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = toErrorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.status(status).send(body);
}

function toErrorBody(error: FastifyError | Error): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) return { status: error.statusCode, body: body(error.code, error.message, error.details) };
  if (error instanceof SchedulerError) return { status: STATUS_OF[error.code], body: body(error.code, error.message, error.details) };
  if (error instanceof JobExistsError) return { status: 409, body: body('job_exists', error.message) };
  if (error instanceof JobsFileError) {
    return { status: 400, body: body('invalid_jobs_file', `${error.file} is invalid; running definitions are unchanged`, error.problems.map((message) => ({ field: error.file, message }))) };
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => ({
      field: [fastifyError.validationContext, ...v.instancePath.split('/').filter(Boolean), (v.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (v.params as { additionalProperty?: string }).additionalProperty]
        .filter(Boolean)
        .join('.'),
      message: v.message ?? 'invalid',
    }));
    return { status: 400, body: body('invalid_request', details.map((d) => `${d.field}: ${d.message}`).join('; '), details) };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status === 413) return { status, body: body('body_too_large', 'request body is larger than the limit') };
  if (status >= 400 && status < 500) return { status, body: body(fastifyError.code?.toLowerCase() ?? 'bad_request', fastifyError.message) };
  return { status: 500, body: body('internal', 'internal error; see the server log') };
}

function body(error: string, message: string, details?: ErrorBody['details']): ErrorBody {
  return details?.length ? { error, message, details } : { error, message };
}
