import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JobType } from '../../scheduler/job-type.js';
import type { DescribeRoute } from '../route-options.js';
import { OpenObject } from '../schema/common.js';

const JobTypesJson = z.object({
  job_types: z.array(
    z.object({
      name: z.string().describe('What a job\'s `func` names'),
      description: z.string(),
      kwargs_schema: OpenObject.describe('JSON Schema of the kwargs (the dashboard builds its overrides form from it)'),
    }),
  ),
});

export function registerJobTypeRoutes(app: FastifyInstance, jobTypes: () => readonly JobType[], describe: DescribeRoute): void {
  app.get(
    '/job-types',
    describe({ tags: ['jobs'], summary: 'Registered job types with their kwargs JSON Schema', access: 'read', response: { 200: JobTypesJson } }),
    async (): Promise<z.output<typeof JobTypesJson>> => ({
      job_types: [...jobTypes()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((type) => ({ name: type.name, description: type.description, kwargs_schema: type.kwargsSchema.jsonSchema })),
    }),
  );
}
