import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { jobLabel } from '../../observability/prometheus.js';
import type { JobEvent } from '../../scheduler/events.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { ApiError } from '../errors.js';
import type { DescribeRoute } from '../route-options.js';
import { WsErrorMessage, WsEventMessage, WsSubscribedMessage, WsSubscribeMessage } from '../schema/ws-messages.js';
import type { JobListCache } from '../job-list-cache.js';
import { eventJson, statsJson, statusJson } from '../serialize.js';
import { startHeartbeat } from '../ws-heartbeat.js';
import { WsChannel, type ChannelLimits, type WsText } from '../ws-channel.js';

export interface EventStream {
  /** Connected clients. */
  clientCount(): number;
  /** Closes every client with 1012 (service restart), as the original did on SIGTERM. */
  closeAll(): void;
}

export interface EventStreamOptions {
  readonly limits: ChannelLimits;
  /** Ping interval; a client that misses a pong by the next ping is dropped. */
  readonly heartbeatMs: number;
}

interface Client {
  readonly channel: WsChannel;
  /** Job ids this client wants; null for all. */
  jobIds: ReadonlySet<string> | null;
  /** Events that arrived while the client's snapshot was being read; null once it was sent. */
  held: WsText[] | null;
  /** Number of the first event emitted after the client connected: earlier ones are not its. */
  readonly since: number;
}

/** Longest stretch of fan-out before yielding to the event loop. */
const FAN_OUT_SLICE_MS = 5;

const StreamQuery = z.object({ token: z.string().optional().describe('The API token, for browsers (which cannot set headers on a WebSocket)') });

/**
 * `/ws/scheduler`: a snapshot on connect, then one message per job event in
 * order. Each event is serialised once (with the job's current stats) and
 * fanned out to the bounded queue of every client whose filter takes it.
 * Events are taken in batches, so a burst costs one stats read for all the
 * jobs in it, and clients connecting together share one snapshot read.
 */
export function registerEventStream(app: FastifyInstance, scheduler: Scheduler, jobList: JobListCache, describe: DescribeRoute, options: EventStreamOptions): EventStream {
  const clients = new Set<Client>();
  const heartbeat = startHeartbeat(options.heartbeatMs);
  let chain = Promise.resolve();
  let queued: Array<{ event: JobEvent; seq: number }> = [];
  let emitted = 0;
  let snapshot: Promise<Buffer> | null = null;

  const unsubscribe = scheduler.events.on('job:event', (event) => {
    const seq = emitted++;
    if (clients.size === 0) return;
    queued.push({ event, seq });
    // One pass per batch: events arriving while it runs form the next batch.
    if (queued.length === 1) chain = chain.then(broadcast).catch((error) => app.log.error({ err: error }, 'event stream failed to serialise events'));
  });
  app.addHook('onClose', async () => {
    unsubscribe();
    heartbeat.stop();
  });

  async function broadcast(): Promise<void> {
    const batch = queued;
    queued = [];
    const telemetry = await scheduler.telemetryOf([...new Set(batch.map((q) => q.event.jobId))]);
    let sliceStart = performance.now();
    for (const { event, seq } of batch) {
      const { stats, history } = telemetry.get(event.jobId)!;
      const message: z.output<typeof WsEventMessage> = { type: 'event', job_id: event.jobId, run_id: event.runId, ...eventJson(event), stats: statsJson(stats, history) };
      const text = Buffer.from(JSON.stringify(message));
      const label = jobLabel(event.jobId);
      for (const client of clients) {
        if (seq < client.since || (client.jobIds && !client.jobIds.has(event.jobId) && !client.jobIds.has(label))) continue;
        deliver(client, text);
      }
      // Hundreds of clients times a burst of events is long work: let timers (the dispatcher's)
      // and I/O run every few milliseconds, so the fan-out never makes fires late.
      if (performance.now() - sliceStart > FAN_OUT_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  function deliver(client: Client, text: WsText): void {
    if (client.held) client.held.push(text);
    else client.channel.send(text);
  }

  /** Clients connecting while a snapshot is read share it: a reconnect storm costs one read. */
  function readSnapshot(): Promise<Buffer> {
    snapshot ??= Promise.all([scheduler.status(), jobList.get()])
      .then(([status, jobs]) => Buffer.from(JSON.stringify({ type: 'snapshot', status: statusJson(status), jobs })))
      .finally(() => (snapshot = null));
    return snapshot;
  }

  // `wsHandler` rather than `websocket: true`, which would hide the route from the OpenAPI document.
  app.route({
    method: 'GET',
    url: '/ws/scheduler',
    ...describe({
      tags: ['events'],
      summary: 'WebSocket of job events',
      description:
        'Server to client: `WsSnapshotMessage` first, then `WsEventMessage` per job event in order, `WsSubscribedMessage` and `WsErrorMessage` ' +
        'in answer to client messages. Client to server: `WsSubscribeMessage`. Schemas under components.schemas. ' +
        'The server pings periodically and drops clients that stop answering; a client too slow to read is disconnected after its queue overflows.',
      access: 'stream',
      querystring: StreamQuery,
      response: { 101: null },
      errors: [426],
    }),
    handler: async () => {
      throw new ApiError(426, 'upgrade_required', 'connect with a WebSocket client (Upgrade: websocket)');
    },
    wsHandler: async (socket) => {
      heartbeat.watch(socket);
      const client: Client = { channel: new WsChannel(socket, options.limits), jobIds: null, held: [], since: emitted };
      socket.on('close', () => clients.delete(client));
      socket.on('error', () => clients.delete(client));
      socket.on('message', (data, isBinary) => onClientMessage(client, isBinary ? null : String(data)));
      // Events from now on are held until the snapshot is sent, so it comes first and none is lost
      // (one already reflected in the snapshot may also arrive as an event).
      clients.add(client);
      try {
        client.channel.send(await readSnapshot());
      } catch (error) {
        clients.delete(client);
        throw error;
      }
      for (const text of client.held!) client.channel.send(text);
      client.held = null;
      if (socket.readyState !== socket.OPEN) clients.delete(client);
    },
  });

  /** Answers go through the client's channel, so they keep their place among events. */
  function onClientMessage(client: Client, text: string | null): void {
    let parsed: ReturnType<typeof WsSubscribeMessage.safeParse> | null = null;
    try {
      parsed = text === null ? null : WsSubscribeMessage.safeParse(JSON.parse(text));
    } catch {
      parsed = null;
    }
    if (!parsed?.success) {
      const reason = parsed ? parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') : 'expected a JSON text message';
      const answer: z.output<typeof WsErrorMessage> = { type: 'error', error: 'invalid_message', message: reason };
      deliver(client, JSON.stringify(answer));
      return;
    }
    const ids = parsed.data.job_ids;
    client.jobIds = ids ? new Set(ids) : null;
    const answer: z.output<typeof WsSubscribedMessage> = { type: 'subscribed', job_ids: ids ? [...new Set(ids)] : null };
    // Behind any event already queued for this client; events serialised later use the new filter.
    chain = chain.then(() => deliver(client, JSON.stringify(answer)));
  }

  return {
    clientCount: () => clients.size,
    closeAll: () => {
      for (const client of clients) client.channel.close(1012, 'service restart');
      clients.clear();
    },
  };
}
