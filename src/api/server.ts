import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { BaseLogger as Logger } from 'pino';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ReconcileDiff } from '../scheduler/store.js';
import { createAuthenticator, type AuthPolicy } from './auth.js';
import { errorHandler } from './errors.js';
import { registerSchedulerRoutes } from './routes/scheduler-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerEventStream, type EventStream } from './routes/event-stream.js';

export interface ApiDeps {
  readonly scheduler: Scheduler;
  /** Re-reads jobs.yaml and reconciles; throws JobsFileError on a bad file. */
  readonly reload: () => Promise<ReconcileDiff>;
  readonly auth: AuthPolicy;
  readonly logger: Logger;
  readonly version: string;
  /** @default 1 MiB */
  readonly bodyLimit?: number;
  /** Adds routes owned by other parts (system metrics, warehouse reads, dashboard). */
  readonly extend?: (app: FastifyInstance, authenticate: Authenticate) => Promise<void> | void;
}

export type Authenticate = ReturnType<typeof createAuthenticator>;

export interface Api {
  readonly app: FastifyInstance;
  readonly events: EventStream;
}

/** Builds the HTTP app without listening, so tests and `serve` share it. */
export async function buildApi(deps: ApiDeps): Promise<Api> {
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1 << 20,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
  });
  app.removeContentTypeParser('application/json');
  // An empty body is allowed (the original accepted POSTs with no body at all).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      const invalid = new Error(`request body is not valid JSON: ${(error as Error).message}`) as Error & { statusCode: number; code: string };
      invalid.statusCode = 400;
      invalid.code = 'INVALID_JSON';
      done(invalid, undefined);
    }
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Kairos', version: deps.version, description: 'Scheduler control API: jobs, runs, events, system metrics.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: deps.auth.tokens.length ? [{ bearer: [] }] : [],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  const authenticate = createAuthenticator(deps.auth);
  registerHealthRoutes(app, deps.scheduler);
  registerSchedulerRoutes(app, deps.scheduler, deps.reload, authenticate);
  const events = registerEventStream(app, deps.scheduler, authenticate);
  await deps.extend?.(app, authenticate);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return { app, events };
}
