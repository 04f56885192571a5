import type { FastifyInstance } from 'fastify';
import { createPrometheusRegistry } from '../../observability/prometheus.js';
import type { Scheduler } from '../../scheduler/scheduler.js';
import type { NotifyChannelStatus } from '../notify-status.js';
import type { DescribeRoute } from '../route-options.js';
import { notifyMetricsUpdater, observeSchedulerEvents } from '../scheduler-metrics.js';

export interface MetricsSources {
  readonly scheduler: Scheduler;
  readonly notifyStatus: () => readonly NotifyChannelStatus[];
  readonly websocketClients: () => number;
}

/** Prometheus `/metrics`: run counters and histograms from the event bus, gauges read at scrape time. */
export function registerMetricsRoutes(app: FastifyInstance, sources: MetricsSources, describe: DescribeRoute): void {
  const { registry, metrics, collectDefaults } = createPrometheusRegistry();
  const unsubscribe = observeSchedulerEvents(sources.scheduler.events, metrics);
  app.addHook('onClose', async () => unsubscribe());
  const updateNotify = notifyMetricsUpdater(metrics);

  app.get(
    '/metrics',
    describe({ tags: ['system'], summary: 'Prometheus metrics (text exposition format)', access: 'read', response: { 200: { contentType: registry.contentType } } }),
    async (_request, reply) => {
      collectDefaults();
      metrics.websocketClients.set(sources.websocketClients());
      updateNotify(sources.notifyStatus());
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}
