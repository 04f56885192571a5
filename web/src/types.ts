/**
 * The API's answers, typed from the server's own zod schemas (type-only
 * imports: nothing of the server is bundled), so the dashboard cannot drift
 * from the OpenAPI document unnoticed.
 */
import type { z } from 'zod';
import type { EventJson, JobJson, ReloadJson, RunJson, RunPageJson, SchedulerStatusJson, TriggerResultJson } from '../../src/api/schema/scheduler.js';
import type { NotifyChannelStatus } from '../../src/api/notify-status.js';
import type { SystemMetricsJson } from '../../src/api/schema/system.js';
import type { PerformanceJson, PortfoliosJson } from '../../src/api/schema/warehouse.js';
import type { WsEventMessage, WsSnapshotMessage } from '../../src/api/schema/ws-messages.js';

export type Job = z.output<typeof JobJson>;
export type JobEvent = z.output<typeof EventJson>;
export type Run = z.output<typeof RunJson>;
export type RunPage = z.output<typeof RunPageJson>;
export type RunStatus = Run['status'];
export type SchedulerStatus = z.output<typeof SchedulerStatusJson>;
export type ReloadDiff = z.output<typeof ReloadJson>;
export type TriggerResult = z.output<typeof TriggerResultJson>;
export type SystemMetrics = z.output<typeof SystemMetricsJson>;
export type Portfolio = z.output<typeof PortfoliosJson>['portfolios'][number];
export type Performance = z.output<typeof PerformanceJson>;
export type PerformancePoint = Performance['points'][number];
export type WsSnapshot = z.output<typeof WsSnapshotMessage>;
export type WsEvent = z.output<typeof WsEventMessage>;

export interface JobType {
  readonly name: string;
  readonly description: string;
  readonly kwargs_schema: JsonSchema;
}

export type NotifyChannel = NotifyChannelStatus;

/** The parts of JSON Schema the overrides form reads. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly description?: string;
  readonly default?: unknown;
  readonly format?: string;
  readonly [keyword: string]: unknown;
}
