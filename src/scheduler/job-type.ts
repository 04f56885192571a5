import { z } from 'zod';
import type { BaseLogger as Logger } from 'pino';

/**
 * What a job's `run` receives from the engine. Collaborators a job needs
 * (warehouse, exchanges, alerter, clock) are closed over by the job type's
 * factory in `app/`, never reached through module-level singletons.
 */
export interface JobContext {
  readonly jobId: string;
  readonly runId: string;
  /** The logical fire time this run is for (not when it actually started). */
  readonly scheduledAt: Date;
  /** Stable across retries of the same fire: `${jobId}@${scheduledAt ISO}`. */
  readonly idempotencyKey: string;
  /** 1 for the first attempt, then 2, 3, ... for retries. */
  readonly attempt: number;
  readonly logger: Logger;
  /** Aborted on timeout, on `replace` overlap and on shutdown past the grace period. */
  readonly signal: AbortSignal;
}

/** What a run may return; `message` appears in the job's history, `data` in the run record. */
export interface JobResult {
  readonly message?: string;
  readonly data?: Record<string, unknown>;
}

export interface KwargsIssue {
  /** Dotted path of the offending key inside kwargs ("" for the whole object). */
  readonly path: string;
  readonly message: string;
}

export type KwargsParse =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly issues: readonly KwargsIssue[] };

/** A kwargs validator plus the JSON Schema it enforces (for OpenAPI and the dashboard form). */
export interface KwargsSchema {
  readonly jsonSchema: Record<string, unknown>;
  parse(input: unknown): KwargsParse;
}

export interface JobType {
  readonly name: string;
  readonly description: string;
  readonly kwargsSchema: KwargsSchema;
  run(ctx: JobContext, kwargs: Record<string, unknown>): Promise<JobResult | void>;
}

/** Adapts a zod object schema; unknown keys are rejected so typos never pass silently. */
export function zodKwargs<S extends z.ZodObject>(schema: S): KwargsSchema {
  const strict = schema.strict();
  return {
    jsonSchema: z.toJSONSchema(strict, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    parse(input) {
      const result = strict.safeParse(input ?? {});
      if (result.success) return { ok: true, value: result.data as Record<string, unknown> };
      return {
        ok: false,
        issues: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      };
    },
  };
}

/**
 * Declares a built-in job type with kwargs typed from its zod schema.
 * The engine validates kwargs before `run` is called, so `run` sees parsed values.
 */
export function defineJobType<S extends z.ZodObject>(def: {
  name: string;
  description: string;
  kwargs: S;
  run(ctx: JobContext, kwargs: z.output<S>): Promise<JobResult | void>;
}): JobType {
  return {
    name: def.name,
    description: def.description,
    kwargsSchema: zodKwargs(def.kwargs),
    run: (ctx, kwargs) => def.run(ctx, kwargs as z.output<S>),
  };
}
