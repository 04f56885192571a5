/**
 * Secret redaction shared by every output (log files, console, Discord posts,
 * error messages). Two complementary mechanisms:
 *  - by key: pino's `redact` censors values under well-known secret keys;
 *  - by pattern: `redactSecrets` rewrites secrets that travel inside free text
 *    (messages, error stacks), where no key names them.
 */

export const REDACTED = '[redacted]';

const SECRET_KEYS = [
  'api_key',
  'apiKey',
  'api_secret',
  'apiSecret',
  'secret',
  'password',
  'passphrase',
  'token',
  'authorization',
  'webhook',
  'webhookUrl',
  'webhook_url',
];

/** pino `redact.paths`: each secret key at the top level and one level down (`{exchange: {api_key}}`). */
export const REDACTED_LOG_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`]);

/**
 * Any host, because webhooks are also reached through proxies and test servers;
 * the path after `/webhooks/` (id and token) is what must not leak. The token
 * ends at whitespace, a quote, a backslash (JSON escape) or an angle bracket.
 */
const WEBHOOK_URL = /(https?:\/\/[^\s"'\\/<>]+)\/api(?:\/v\d+)?\/webhooks\/[^\s"'\\<>]+/gi;

/** `scheme://user:password@` in any connection string (postgres, postgresql+psycopg, mongodb+srv...). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'\\]*):([^\s@/"'\\]*)@/gi;

/** Replaces Discord webhook paths and connection-string passwords found anywhere in `text`. */
export function redactSecrets(text: string): string {
  // Cheap guard: this runs on every log line and almost none contain a URL.
  if (!text.includes('://')) return text;
  return text
    .replace(WEBHOOK_URL, `$1/api/webhooks/${REDACTED}`)
    .replace(URL_CREDENTIALS, `$1$2:${REDACTED}@`);
}
