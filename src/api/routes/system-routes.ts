import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { collectSystemResources } from '../../observability/disk-usage.js';
import { createSystemMetricsCollector } from '../../observability/system-metrics.js';
import type { DescribeRoute } from '../route-options.js';
import { SystemMetricsJson, SystemResourcesJson } from '../schema/system.js';

const ResourcesQuery = z.strictObject({
  device: z.string().min(1).max(4096).optional().describe('A device (/dev/sda1) or an absolute path; default the configured KAIROS_DISK_PATH'),
});

/** Process, host and cgroup figures (SPEC 10), and disk usage of a path. */
export function registerSystemRoutes(app: FastifyInstance, diskPath: string, describe: DescribeRoute): void {
  const tags = ['system'];
  // One collector per process: CPU percentages are measured between its collections.
  const collector = createSystemMetricsCollector();
  app.addHook('onClose', async () => collector.close());

  app.get(
    '/system/metrics',
    describe({ tags, summary: 'Process, host and cgroup figures (original endpoint)', access: 'read', response: { 200: SystemMetricsJson } }),
    async (): Promise<z.output<typeof SystemMetricsJson>> => collector.collect(),
  );

  app.get<{ Querystring: z.output<typeof ResourcesQuery> }>(
    '/system/resources',
    describe({ tags, summary: 'Disk usage of a path plus container figures (original endpoint)', access: 'read', querystring: ResourcesQuery, response: { 200: SystemResourcesJson } }),
    async (request): Promise<z.output<typeof SystemResourcesJson>> => collectSystemResources({ target: request.query.device ?? diskPath }),
  );
}
