import { z } from 'zod';
import { EventJson, JobJson, SchedulerStatusJson, StatsJson } from './scheduler.js';

/** Messages of `/ws/scheduler`, published in the OpenAPI document under components.schemas. */

export const WsSnapshotMessage = z.object({ type: z.literal('snapshot'), status: SchedulerStatusJson, jobs: z.array(JobJson) }).describe('First message after connecting');

export const WsEventMessage = z
  .object({ type: z.literal('event'), job_id: z.string(), run_id: z.string(), ...EventJson.shape, stats: StatsJson })
  .describe('One per job event, in order, with the job stats after it');

export const WsSubscribeMessage = z
  .strictObject({
    type: z.literal('subscribe'),
    job_ids: z.array(z.string().min(1).max(300)).max(1000).optional().describe("Only these jobs' events (a job's manual copies included); absent: every job"),
  })
  .describe('Client to server: filter the events this client receives');

export const WsSubscribedMessage = z
  .object({ type: z.literal('subscribed'), job_ids: z.array(z.string()).nullable().describe('null: every job') })
  .describe('Acknowledges a subscribe: events after it follow the new filter');

export const WsErrorMessage = z.object({ type: z.literal('error'), error: z.string(), message: z.string() }).describe('A client message that was not understood');

export const WS_MESSAGES = { WsSnapshotMessage, WsEventMessage, WsSubscribeMessage, WsSubscribedMessage, WsErrorMessage } as const;
