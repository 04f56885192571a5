import type { z } from 'zod';
import { ExchangeError } from './errors.js';

/** Validates a raw exchange body; a shape the exchange does not document is a `bad_response`. */
export function parseResponse<S extends z.ZodType>(exchange: string, what: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? issue.path.join('.') || '(root)' : '(root)';
  throw new ExchangeError('bad_response', exchange, `${what}: unexpected body at ${where}: ${issue?.message ?? 'invalid'}`);
}
