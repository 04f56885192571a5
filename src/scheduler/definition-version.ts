import { createHash } from 'node:crypto';
import type { JobDefinition } from './types.js';

/** JSON with object keys sorted, so equal definitions hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Content hash of everything that defines a job (not its scheduling state). */
export function definitionVersion(def: JobDefinition): string {
  const { id, func, trigger, kwargs, options } = def;
  return createHash('sha256').update(stableStringify({ id, func, trigger, kwargs, options })).digest('hex').slice(0, 16);
}
