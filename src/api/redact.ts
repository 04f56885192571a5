import { REDACTED, redactSecrets } from '../observability/logging/redact-secrets.js';

/**
 * Secrets in what the API answers. Stored kwargs hold `${ENV}` values already
 * resolved (webhook URLs, header tokens, database URLs), so every caller-defined
 * payload passes through here before it is serialised:
 * - values under a secret-looking key, and every header value, are replaced;
 * - any other string loses webhook paths and URL passwords (`redactSecrets`).
 */
const SECRET_KEY = /secret|password|passphrase|token|authorization|api[-_]?key|webhook|credential|cookie|private[-_]?key|dsn/i;

export function redactPayload<T>(value: T): T {
  return redact(value, false) as T;
}

/** Free text (messages, errors, log lines). */
export function redactText<T extends string | null>(text: T): T {
  return (text === null ? null : redactSecrets(text)) as T;
}

function redact(value: unknown, hidden: boolean): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, hidden));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, hidden || SECRET_KEY.test(key) || key.toLowerCase() === 'headers')]));
  }
  if (hidden) return REDACTED;
  return typeof value === 'string' ? redactSecrets(value) : value;
}
