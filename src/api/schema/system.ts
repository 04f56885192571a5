import { z } from 'zod';
import { IsoTime } from './common.js';

/** `/system/metrics` and `/system/resources` (SPEC 10), as observability/ collects them. */

const CgroupJson = z.union([
  z.object({ available: z.literal(false), reason: z.string() }),
  z.object({
    available: z.literal(true),
    version: z.union([z.literal(1), z.literal(2)]),
    memory_current: z.number().nullable(),
    memory_max: z.number().nullable().describe('null: unlimited'),
    cpu_quota: z.number().nullable().describe('Microseconds per period; null: unlimited'),
    cpu_period: z.number().nullable(),
    cpu_stat: z.record(z.string(), z.number()),
    missing: z.array(z.string()).describe('Files that could not be read'),
  }),
]);

export const SystemMetricsJson = z.object({
  collected_at: IsoTime,
  process: z.object({
    pid: z.int(),
    cpu_percent: z.number().describe('Of one core since the previous collection'),
    memory_bytes: z.number().describe('RSS'),
    memory_percent: z.number(),
    threads: z.int().nullable(),
    open_files: z.int().nullable(),
    cmdline: z.array(z.string()).describe('Secrets masked'),
    create_time: IsoTime,
    event_loop_delay_ms: z
      .object({ p50: z.number(), p99: z.number(), max: z.number(), mean: z.number() })
      .nullable()
      .describe('How late a 10 ms timer ran since the previous request; null on the first request and after five minutes without one (sampled only while read)'),
  }),
  system: z.object({
    cpu_percent: z.number().nullable(),
    load_average: z.array(z.number()).min(3).max(3),
    memory_total: z.number(),
    memory_available: z.number(),
    memory_used: z.number(),
    memory_percent: z.number(),
    swap_total: z.number().nullable(),
    swap_used: z.number().nullable(),
    swap_percent: z.number().nullable(),
  }),
  cgroup: CgroupJson,
});

export const SystemResourcesJson = z.object({
  collected_at: IsoTime,
  disk: z.union([
    z.object({ available: z.literal(true), path: z.string(), total: z.number(), used: z.number(), free: z.number(), percent: z.number() }),
    z.object({ available: z.literal(false), path: z.string(), error: z.string() }),
  ]),
  device: z
    .union([
      z.object({
        available: z.literal(true),
        device: z.string(),
        mount_point: z.string(),
        total_bytes: z.number(),
        used_bytes: z.number(),
        free_bytes: z.number(),
        percent: z.number(),
      }),
      z.object({ available: z.literal(false), device: z.string(), error: z.string() }),
    ])
    .describe("The original's shape"),
  docker: z.object({ available: z.literal(false), error: z.string() }).describe('Kept for compatibility: container figures are under `container`'),
  container: CgroupJson,
});
