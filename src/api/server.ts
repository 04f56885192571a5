import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { BaseLogger as Logger } from 'pino';
import type { JobType } from '../scheduler/job-type.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ReconcileDiff } from '../scheduler/store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { createAuthenticator, type AuthPolicy, type Authenticate } from './auth.js';
import { errorHandler } from './errors.js';
import { createJobListCache } from './job-list-cache.js';
import { lazyCompilers } from './lazy-compilers.js';
import type { NotifyChannelStatus } from './notify-status.js';
import { routeOptions } from './route-options.js';
import { DEFAULT_DASHBOARD_DIR, registerDashboardRoutes } from './routes/dashboard-routes.js';
import { registerEventStream, type EventStream } from './routes/event-stream.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerJobCrudRoutes } from './routes/job-crud-routes.js';
import { registerJobRoutes } from './routes/job-routes.js';
import { registerJobTypeRoutes } from './routes/job-type-routes.js';
import { registerMetricsRoutes } from './routes/metrics-routes.js';
import { registerNotifyRoutes } from './routes/notify-routes.js';
import { registerPreviewRoutes } from './routes/preview-routes.js';
import { registerRunRoutes } from './routes/run-routes.js';
import { registerSchedulerRoutes } from './routes/scheduler-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import { registerWarehouseRoutes } from './routes/warehouse-routes.js';
import { jsonSchema } from './schema/json-schema.js';
import { WS_MESSAGES } from './schema/ws-messages.js';
import { DEFAULT_CHANNEL_LIMITS, type ChannelLimits } from './ws-channel.js';

export type { Authenticate } from './auth.js';
export type { NotifyChannelStatus } from './notify-status.js';

export interface ApiDeps {
  readonly scheduler: Scheduler;
  /** Re-reads jobs.yaml and reconciles; throws JobsFileError on a bad file. */
  readonly reload: () => Promise<ReconcileDiff>;
  readonly auth: AuthPolicy;
  readonly logger: Logger;
  readonly version: string;
  /** The registered job types, for `GET /job-types`. */
  readonly jobTypes: () => readonly JobType[];
  /** Path whose disk usage `/system/resources` reports without `?device=`. @default '/' */
  readonly diskPath?: string;
  /** The notification channels' counters, for `/notify/status` and `/metrics`. @default none */
  readonly notifyStatus?: () => readonly NotifyChannelStatus[];
  /** The warehouse the `/warehouse/*` reads answer from; without one they answer 503. @default none */
  readonly warehouse?: Warehouse;
  /** The built dashboard served at `/`. @default web/dist of this checkout */
  readonly dashboardDir?: string;
  /** @default 1 MiB */
  readonly bodyLimit?: number;
  /** Per-client WebSocket queue limits. @default DEFAULT_CHANNEL_LIMITS */
  readonly wsLimits?: Partial<ChannelLimits>;
  /** WebSocket ping interval; a client missing a pong by the next ping is dropped. @default 30000 */
  readonly wsHeartbeatMs?: number;
  /** Adds routes owned by other parts (warehouse reads, dashboard). */
  readonly extend?: (app: FastifyInstance, authenticate: Authenticate) => Promise<void> | void;
}

export interface Api {
  readonly app: FastifyInstance;
  readonly events: EventStream;
  /** Compiles the route schemas no request has needed yet, returning how many (each request compiles its route's on first use); tests use it to prove they all compile. */
  compileSchemas(): number;
}

/** Builds the HTTP app without listening, so tests and `serve` share it. */
export async function buildApi(deps: ApiDeps): Promise<Api> {
  const compilers = lazyCompilers();
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    bodyLimit: deps.bodyLimit ?? 1 << 20,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: 'array' } },
    schemaController: { compilersFactory: compilers.factory },
  });
  app.removeContentTypeParser('application/json');
  // An empty body is allowed (the original accepted POSTs with no body at all).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = (body as string).trim();
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      // V8's message quotes the body, which may hold a secret: say only what is wrong.
      const invalid = new Error('request body is not valid JSON') as Error & { statusCode: number; code: string };
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
      info: {
        title: 'Kairos',
        version: deps.version,
        description:
          'Scheduler control API: jobs, runs, events, system metrics. Mutating routes need `Authorization: Bearer <token>` when tokens are configured; ' +
          'reads and the WebSocket need it too when KAIROS_AUTH_READS=true. Errors are `{error, message, details?}`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'KAIROS_API_TOKEN' },
          query_token: { type: 'apiKey', in: 'query', name: 'token', description: 'KAIROS_API_TOKEN, on the WebSocket only' },
        },
        schemas: Object.fromEntries(Object.entries(WS_MESSAGES).map(([name, schema]) => [name, jsonSchema(schema, 'output')])),
      },
    },
  });
  // persistAuthorization keeps the token entered under "Authorize" across reloads of /docs.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  const authenticate = createAuthenticator(deps.auth);
  const describe = routeOptions(authenticate);
  const notifyStatus = deps.notifyStatus ?? (() => []);
  registerHealthRoutes(app, deps.scheduler, describe);
  registerSchedulerRoutes(app, deps.scheduler, deps.reload, describe);
  const jobList = createJobListCache(deps.scheduler);
  app.addHook('onClose', async () => jobList.close());
  registerJobRoutes(app, deps.scheduler, jobList, describe);
  registerJobCrudRoutes(app, deps.scheduler, describe);
  registerRunRoutes(app, deps.scheduler, describe);
  registerPreviewRoutes(app, deps.scheduler, describe);
  registerJobTypeRoutes(app, deps.jobTypes, describe);
  registerSystemRoutes(app, deps.diskPath ?? '/', describe);
  registerNotifyRoutes(app, notifyStatus, describe);
  registerWarehouseRoutes(app, deps.warehouse, describe);
  await registerDashboardRoutes(app, deps.dashboardDir ?? DEFAULT_DASHBOARD_DIR);
  const events = registerEventStream(app, deps.scheduler, jobList, describe, {
    limits: { ...DEFAULT_CHANNEL_LIMITS, ...deps.wsLimits },
    heartbeatMs: deps.wsHeartbeatMs ?? 30_000,
  });
  registerMetricsRoutes(app, { scheduler: deps.scheduler, notifyStatus, websocketClients: events.clientCount }, describe);
  await deps.extend?.(app, authenticate);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return { app, events, compileSchemas: () => compilers.compileRemaining() };
}
