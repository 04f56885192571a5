import { REDACTED } from '../observability/logging/redact-secrets.js';

/** A Discord webhook URL taken apart. The whole URL is a secret: whoever has it can post. */
export interface WebhookAddress {
  /** `https://discord.com/api/webhooks/{id}/{token}`, without query string. */
  readonly url: string;
  /** `discord.com`: the scope of Discord's global rate limit. */
  readonly host: string;
}

const WEBHOOK_PATH = /^\/api(?:\/v\d+)?\/webhooks\/\d+\/[\w-]+\/?$/;

/**
 * Validates a webhook URL. The error never repeats the URL: say where it came
 * from (e.g. the variable name) in `source`.
 */
export function parseWebhookUrl(raw: string, source = 'webhook URL'): WebhookAddress {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${source} is not a URL; expected https://discord.com/api/webhooks/<id>/<token>`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !WEBHOOK_PATH.test(url.pathname)) {
    throw new Error(`${source} is not a Discord webhook URL; expected https://discord.com/api/webhooks/<id>/<token>`);
  }
  return { url: `${url.origin}${url.pathname.replace(/\/$/, '')}`, host: url.host };
}

/** What may be shown of a webhook URL: its origin only (`https://discord.com/api/webhooks/[redacted]`). */
export function redactWebhookUrl(raw: string): string {
  try {
    return `${new URL(raw).origin}/api/webhooks/${REDACTED}`;
  } catch {
    return `${REDACTED} webhook URL`;
  }
}
