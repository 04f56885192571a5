import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { NotifyChannelStatus } from '../notify-status.js';
import type { DescribeRoute } from '../route-options.js';

const NotifyStatusJson = z.object({
  channels: z.array(
    z.object({
      channel: z.string().describe('The channel name (e.g. process, alerts), never its webhook'),
      queued: z.int(),
      sent: z.int(),
      retried: z.int().describe('Requests repeated after a 429, 5xx or network error'),
      dropped: z.int(),
      failed: z.int(),
      pending: z.int().describe('Lines waiting now'),
    }),
  ),
});

export function registerNotifyRoutes(app: FastifyInstance, notifyStatus: () => readonly NotifyChannelStatus[], describe: DescribeRoute): void {
  app.get(
    '/notify/status',
    describe({ tags: ['system'], summary: 'Discord notification channels: queue and delivery counters', access: 'read', response: { 200: NotifyStatusJson } }),
    async (): Promise<z.output<typeof NotifyStatusJson>> => ({
      channels: notifyStatus().map(({ channel, queued, sent, retried, dropped, failed, pending }) => ({ channel, queued, sent, retried, dropped, failed, pending })),
    }),
  );
}
