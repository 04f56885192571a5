import type { Ajv, ErrorObject } from 'ajv';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { JobContext, JobResult, JobType, KwargsSchema } from '../scheduler/job-type.js';

/**
 * Loads a user-written job module (`func: ./jobs/my_job.js:run`), resolved
 * relative to the jobs file. The module exports the function named after the
 * colon (default `run`) and optionally `kwargsSchema`, a JSON Schema object.
 */
export async function loadUserJobType(reference: string, jobsFileDir: string): Promise<JobType> {
  const colon = reference.lastIndexOf(':');
  const hasExport = colon > 0 && !reference.slice(colon).includes('/');
  const modulePath = hasExport ? reference.slice(0, colon) : reference;
  const exportName = hasExport ? reference.slice(colon + 1) : 'run';
  const absolute = resolve(jobsFileDir, modulePath);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load job module ${modulePath} (resolved to ${absolute}): ${(error as Error).message}`);
  }
  const run = mod[exportName];
  if (typeof run !== 'function') {
    throw new Error(`job module ${modulePath} does not export a function named '${exportName}'`);
  }
  const schema = mod['kwargsSchema'];
  if (schema !== undefined && (typeof schema !== 'object' || schema === null)) {
    throw new Error(`job module ${modulePath}: kwargsSchema must be a JSON Schema object`);
  }
  return {
    name: reference,
    description: typeof mod['description'] === 'string' ? mod['description'] : `user job ${reference}`,
    kwargsSchema: schema === undefined ? ANY_OBJECT : await jsonSchemaKwargs(schema as Record<string, unknown>, modulePath),
    run: run as (ctx: JobContext, kwargs: Record<string, unknown>) => Promise<JobResult | void>,
  };
}

/** Kwargs of a module without a kwargsSchema: any object. */
const ANY_OBJECT: KwargsSchema = {
  jsonSchema: { type: 'object' },
  parse(input) {
    const value: unknown = structuredClone(input ?? {});
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { ok: true, value: value as Record<string, unknown> };
    return { ok: false, issues: [{ path: '', message: 'must be object' }] };
  },
};

// Ajv (~60 ms to load and set up) is loaded only once a module declares a kwargsSchema.
let ajv: Promise<Ajv> | undefined;

async function jsonSchemaKwargs(jsonSchema: Record<string, unknown>, source: string): Promise<KwargsSchema> {
  ajv ??= import('ajv').then(({ Ajv }) => new Ajv({ allErrors: true, useDefaults: true, strict: false }));
  const compiler = await ajv;
  let validate;
  try {
    validate = compiler.compile(jsonSchema);
  } catch (error) {
    throw new Error(`${source}: kwargsSchema is not a valid JSON Schema: ${(error as Error).message}`);
  }
  return {
    jsonSchema,
    parse(input) {
      const value = structuredClone(input ?? {}) as Record<string, unknown>;
      if (validate(value)) return { ok: true, value };
      return { ok: false, issues: (validate.errors ?? []).map(toIssue) };
    },
  };
}

function toIssue(error: ErrorObject): { path: string; message: string } {
  const base = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const extra = error.keyword === 'additionalProperties' ? String(error.params['additionalProperty']) : error.keyword === 'required' ? String(error.params['missingProperty']) : '';
  const path = [base, extra].filter(Boolean).join('.');
  return { path, message: error.message ?? error.keyword };
}
