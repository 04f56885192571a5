/**
 * The benchmark's job body for Kairos, loaded as a user job module
 * (`func: <abs path>/probe-job.mjs:run`). It does nothing but hand its start
 * time and logical fire time to the probe the harness installed, so lateness
 * is measured inside the job, against `ctx.scheduledAt`.
 */
export async function run(ctx) {
  globalThis.kairosBenchProbe?.(ctx.jobId, ctx.scheduledAt.getTime(), Date.now());
}
