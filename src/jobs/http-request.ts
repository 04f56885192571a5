import { z } from 'zod';
import { defineJobType } from '../scheduler/job-type.js';

/**
 * Calls a URL and fails the run unless the response status is expected: a
 * health check, a webhook kick, or a warehouse refresh endpoint on a schedule.
 * Header values and URL credentials are never logged (they often hold tokens).
 */
export const httpRequestJob = defineJobType({
  name: 'http_request',
  description: 'Call a URL with a timeout; succeed when the status is expected (default 2xx).',
  kwargs: z.object({
    url: z.url({ protocol: /^https?$/ }),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    timeout_seconds: z.number().positive().max(3600).default(30),
    expect_status: z.array(z.int().min(100).max(599)).min(1).optional(),
  }),
  async run(ctx, kwargs) {
    const started = performance.now();
    const timeout = AbortSignal.timeout(kwargs.timeout_seconds * 1000);
    const json = typeof kwargs.body === 'object';
    const response = await fetch(kwargs.url, {
      method: kwargs.method,
      headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...kwargs.headers },
      body: kwargs.body === undefined ? undefined : typeof kwargs.body === 'string' ? kwargs.body : JSON.stringify(kwargs.body),
      signal: AbortSignal.any([ctx.signal, timeout]),
    }).catch((error: Error) => {
      if (timeout.aborted) throw new Error(`${kwargs.method} ${safeUrl(kwargs.url)} timed out after ${kwargs.timeout_seconds}s`);
      throw new Error(`${kwargs.method} ${safeUrl(kwargs.url)} failed: ${error.cause instanceof Error ? error.cause.message : error.message}`);
    });
    const bytes = (await response.arrayBuffer()).byteLength;
    const elapsedMs = Math.round(performance.now() - started);
    const expected = kwargs.expect_status ? kwargs.expect_status.includes(response.status) : response.status >= 200 && response.status < 300;
    ctx.logger.info({ status: response.status, elapsedMs, bytes }, `${kwargs.method} ${safeUrl(kwargs.url)}`);
    if (!expected) throw new Error(`${kwargs.method} ${safeUrl(kwargs.url)} answered ${response.status}, expected ${kwargs.expect_status?.join('|') ?? '2xx'}`);
    return { message: `HTTP ${response.status} in ${elapsedMs} ms`, data: { status: response.status, elapsed_ms: elapsedMs, bytes } };
  },
});

/** The URL without user info and query string, which may carry credentials. */
function safeUrl(raw: string): string {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
