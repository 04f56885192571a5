import { z } from 'zod';
import { ErrorBody } from './common.js';

/**
 * JSON Schema of a zod schema, in draft-07: the dialect Fastify's Ajv compiles
 * for validation and fast-json-stringify for serialisation, and one OpenAPI 3.1
 * reads. `input` describes what a client may send (defaults optional),
 * `output` what we answer (every field listed, so nothing is dropped).
 */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const result = nullableAsTypeList(z.toJSONSchema(schema, { target: 'draft-7', io, unrepresentable: 'any' })) as Record<string, unknown>;
  delete result['$schema'];
  return result;
}

const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean']);

/**
 * zod writes a nullable scalar as `anyOf: [{type: 'string', ...}, {type: 'null'}]`;
 * this rewrites it to the equivalent `type: ['string', 'null']`. fast-json-stringify
 * serialises an `anyOf` by running Ajv on every value to pick its branch (with
 * format checks: most of the cost of a large job list); a type list it switches on cheaply.
 */
function nullableAsTypeList(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableAsTypeList);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = nullableAsTypeList(value);
  const branches = out['anyOf'];
  if (!Array.isArray(branches) || branches.length !== 2) return out;
  const [value, nothing] = branches as Array<Record<string, unknown>>;
  const isNull = Object.keys(nothing!).length === 1 && nothing!['type'] === 'null';
  if (!isNull || typeof value!['type'] !== 'string' || !SCALAR_TYPES.has(value!['type'])) return out;
  delete out['anyOf'];
  return { ...value, ...out, type: [value!['type'], 'null'] };
}

/**
 * Who may call a route: open to all, reads (token when KAIROS_AUTH_READS),
 * writes (token whenever configured); `stream` is a read that also takes the
 * token as `?token=` (browsers cannot set headers on a WebSocket).
 */
export type Access = 'open' | 'read' | 'stream' | 'write';

/**
 * OpenAPI security of each access level. The document is the same whatever the
 * configuration, so the committed copy never drifts: reads show the token as
 * optional (`{}` allows anonymous calls).
 */
const SECURITY: Record<Access, readonly Record<string, string[]>[]> = {
  open: [],
  read: [{ bearer: [] }, {}],
  stream: [{ bearer: [] }, { query_token: [] }, {}],
  write: [{ bearer: [] }],
};

const STATUS_TEXT: Record<number, string> = {
  101: 'Switching protocols (WebSocket)',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  307: 'Temporary redirect',
  400: 'Invalid request: `details` names each bad field',
  401: 'Missing API token',
  403: 'Invalid API token',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request body too large',
  426: 'Upgrade required: connect with a WebSocket client',
  503: 'Not ready',
};

/** Every route that checks a token may answer these; every route with input may answer 400. */
const AUTH_ERRORS = [401, 403] as const;

/** A body that is not JSON (Prometheus' text format); sent as is, never serialised. */
export interface TextBody {
  readonly contentType: string;
}

export interface RouteDoc {
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly access: Access;
  readonly params?: z.ZodType;
  readonly querystring?: z.ZodType;
  readonly body?: z.ZodType;
  /** 2xx and 3xx answers; null for an answer without a body. */
  readonly response: Readonly<Record<number, z.ZodType | TextBody | null>>;
  /** Error statuses beyond 400 (implied by any input), 401/403 (implied by access) and 413 (implied by a body). */
  readonly errors?: readonly number[];
}

/**
 * The Fastify route schema of a route: the same zod schemas validate requests
 * (Ajv), shape responses (fast-json-stringify) and produce the OpenAPI document.
 */
export function routeSchema(doc: RouteDoc): Record<string, unknown> {
  const errors = new Set<number>(doc.errors ?? []);
  if (doc.params || doc.querystring || doc.body) errors.add(400);
  if (doc.body) errors.add(413);
  if (doc.access !== 'open') for (const status of AUTH_ERRORS) errors.add(status);
  const response: Record<number, unknown> = {};
  for (const [status, schema] of Object.entries(doc.response)) {
    const description = STATUS_TEXT[Number(status)] ?? 'OK';
    if (schema === null) response[Number(status)] = { description, type: 'null' };
    else if (schema instanceof z.ZodType) response[Number(status)] = { description, ...jsonSchema(schema, 'output') };
    else response[Number(status)] = { description, content: { [schema.contentType]: { schema: { type: 'string' } } } };
  }
  const errorSchema = jsonSchema(ErrorBody, 'output');
  for (const status of [...errors].sort()) response[status] = { ...errorSchema, description: STATUS_TEXT[status] ?? 'Error' };
  return {
    tags: doc.tags,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    security: SECURITY[doc.access],
    ...(doc.params ? { params: jsonSchema(doc.params, 'input') } : {}),
    ...(doc.querystring ? { querystring: jsonSchema(doc.querystring, 'input') } : {}),
    ...(doc.body ? { body: jsonSchema(doc.body, 'input') } : {}),
    response,
  };
}
