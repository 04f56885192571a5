import type { JobDefinition } from '../scheduler/types.js';

/**
 * A stored definition back in jobs.yaml keyword style, so PATCH and PUT
 * .../trigger can overlay the request and run the result through the same
 * `parseDefinition` as jobs.yaml and POST: one parser, one set of rules.
 */
export interface JobEntry {
  /** id, func, kwargs and the options. */
  readonly options: Record<string, unknown>;
  /** The trigger fields (`trigger`, `second`, `timezone`...); empty for a dependency-only job. */
  readonly trigger: Record<string, unknown>;
}

export function entryOf(def: JobDefinition): JobEntry {
  const o = def.options;
  return {
    options: {
      id: def.id,
      func: def.func,
      kwargs: def.kwargs,
      coalesce: o.coalesce,
      max_instances: o.maxInstances,
      misfire_grace_time: o.misfireGraceTime,
      timeout: o.timeout,
      retries: { max: o.retries.max, backoff: o.retries.backoffSeconds, max_backoff: o.retries.maxBackoffSeconds },
      depends_on: [...o.dependsOn],
      enabled: o.enabled,
      catch_up: typeof o.catchUp === 'object' ? o.catchUp.max : o.catchUp,
      overlap: o.overlap,
      alert_if_no_success_within: o.alertIfNoSuccessWithin,
    },
    trigger: { ...def.trigger },
  };
}

/** RFC 7396 JSON merge patch: objects merge recursively, null removes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return patch;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
