import type { FastifyInstance } from 'fastify';
import type { JobEvent } from '../../scheduler/events.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import { EMPTY_STATS } from '../../scheduler/types.js';
import type { Authenticate } from '../server.js';
import { eventJson, jobJson, statsJson, statusJson } from '../serialize.js';
import { WsChannel } from '../ws-channel.js';

export interface EventStream {
  /** Connected clients. */
  clientCount(): number;
  /** Closes every client with 1012 (service restart), as the original did on SIGTERM. */
  closeAll(): void;
}

/**
 * `/ws/scheduler`: a snapshot on connect, then one message per job event in
 * order. Each event is serialised once (with the job's current stats) and
 * fanned out to every client's bounded queue.
 */
export function registerEventStream(app: FastifyInstance, scheduler: Scheduler, authenticate: Authenticate): EventStream {
  const channels = new Set<WsChannel>();
  let chain = Promise.resolve();

  scheduler.events.on('job:event', (event) => {
    if (channels.size === 0) return;
    chain = chain.then(() => broadcast(event)).catch((error) => app.log.error({ err: error }, 'event stream failed to serialise an event'));
  });

  async function broadcast(event: JobEvent): Promise<void> {
    const view = await scheduler.getJob(event.jobId);
    const message = JSON.stringify({
      type: 'event',
      job_id: event.jobId,
      run_id: event.runId,
      ...eventJson(event),
      stats: view ? statsJson(view.stats, view.history) : statsJson(EMPTY_STATS, []),
    });
    for (const channel of channels) channel.send(message);
  }

  app.get(
    '/ws/scheduler',
    {
      websocket: true,
      onRequest: async (request) => authenticate(request, false),
      schema: { tags: ['events'], summary: 'WebSocket: {type:"snapshot", status, jobs} then {type:"event", job_id, event, recorded_at, scheduled_at, duration_ms, message, stats}' },
    },
    async (socket) => {
      const channel = new WsChannel(socket);
      socket.on('close', () => channels.delete(channel));
      socket.on('error', () => channels.delete(channel));
      // Joining the fan-out only after the snapshot keeps it first; what happened meanwhile is in it.
      const [status, jobs] = await Promise.all([scheduler.status(), scheduler.listJobs()]);
      channel.send(JSON.stringify({ type: 'snapshot', status: statusJson(status), jobs: jobs.map(jobJson) }));
      if (socket.readyState === socket.OPEN) channels.add(channel);
    },
  );

  return {
    clientCount: () => channels.size,
    closeAll: () => {
      for (const channel of channels) channel.close(1012, 'service restart');
      channels.clear();
    },
  };
}
