import type { FastifyRequest } from 'fastify';
import type { Authenticate } from './auth.js';
import { routeSchema, type RouteDoc } from './schema/json-schema.js';

export interface RouteOptions {
  readonly schema: Record<string, unknown>;
  readonly onRequest?: (request: FastifyRequest) => Promise<void>;
}

/** Options of one route from its doc: the schema, and the token check its access level calls for. */
export type DescribeRoute = (doc: RouteDoc) => RouteOptions;

export function routeOptions(authenticate: Authenticate): DescribeRoute {
  return (doc) => {
    const schema = routeSchema(doc);
    if (doc.access === 'open') return { schema };
    const mutating = doc.access === 'write';
    return { schema, onRequest: async (request) => authenticate(request, mutating) };
  };
}
