import { redactSecrets } from '../observability/logging/redact-secrets.js';
import { systemClock, type NotifyClock } from './clock.js';
import { HostRateLimitGate } from './rate-limit-gate.js';
import { parseWebhookUrl, type WebhookAddress } from './webhook-url.js';

export interface DiscordWebhookOptions {
  /** The webhook URL: a secret, never logged nor put in errors. */
  url: string;
  /** Overrides the webhook's display name. */
  username?: string;
  /** Overrides the webhook's avatar. */
  avatarUrl?: string;
  /** Ask Discord to confirm each post with the created message (`?wait=true`). @default false */
  wait?: boolean;
  /** Per HTTP request. @default 10_000 */
  timeoutMs?: number;
  /** HTTP requests per post at most, rate-limited ones included. @default 5 */
  maxAttempts?: number;
  /** First backoff after a 5xx, timeout or network error; doubled each time. @default 500 */
  backoffBaseMs?: number;
  /** @default 30_000 */
  backoffMaxMs?: number;
  /** Share one gate between all webhooks of a process so a global 429 holds them all. @default a private gate */
  gate?: HostRateLimitGate;
  /** @default the system clock */
  clock?: NotifyClock;
}

export interface DiscordPost {
  /** At most 2,000 characters (Discord's limit). */
  content: string;
  /** Post into this thread of the webhook's channel. */
  threadId?: string;
}

export interface PostOptions {
  /** Aborts the post, its current request and any wait. */
  signal?: AbortSignal;
  /** Called before each retry, with why the previous attempt failed. */
  onRetry?: (reason: string) => void;
}

export interface PostReceipt {
  /** The created message's id when `wait` is on, else null. */
  messageId: string | null;
  attempts: number;
}

/** Something that posts to Discord: the webhook, or a stand-in with the same contract. */
export interface DiscordPoster {
  post(post: DiscordPost, options?: PostOptions): Promise<PostReceipt>;
}

/** A post that did not get through. Its message never contains the webhook URL. */
export class DiscordDeliveryError extends Error {
  constructor(
    message: string,
    /** HTTP status of the last response, if there was one. */
    readonly status: number | null,
  ) {
    super(redactSecrets(message));
    this.name = 'DiscordDeliveryError';
  }
}

type Attempt = { done: PostReceipt } | { retry: string; waitMs: number };

/**
 * One Discord webhook. Posts are sent one at a time in call order (a later
 * post never overtakes an earlier one that is being retried); 429s wait as
 * Discord says, 5xx/timeouts/network errors back off exponentially, and other
 * 4xx fail at once since repeating them cannot help.
 */
export class DiscordWebhook implements DiscordPoster {
  private readonly address: WebhookAddress;
  private readonly gate: HostRateLimitGate;
  private readonly clock: NotifyClock;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private queueTail: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: DiscordWebhookOptions) {
    this.address = parseWebhookUrl(options.url);
    this.gate = options.gate ?? new HostRateLimitGate();
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffBaseMs = options.backoffBaseMs ?? 500;
    this.backoffMaxMs = options.backoffMaxMs ?? 30_000;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
    }
  }

  post(post: DiscordPost, options: PostOptions = {}): Promise<PostReceipt> {
    const result = this.queueTail.then(() => this.deliver(post, options));
    this.queueTail = result.catch(() => undefined);
    return result;
  }

  private async deliver(post: DiscordPost, { signal, onRetry }: PostOptions): Promise<PostReceipt> {
    for (let attempt = 1; ; attempt++) {
      await this.sleep(this.gate.remainingMs(this.address.host, this.clock.now()), signal);
      const outcome = await this.attempt(post, attempt, signal);
      if ('done' in outcome) return outcome.done;
      if (attempt >= this.maxAttempts) {
        throw new DiscordDeliveryError(`Discord post gave up after ${attempt} attempts: ${outcome.retry}`, null);
      }
      onRetry?.(outcome.retry);
      await this.sleep(outcome.waitMs, signal);
    }
  }

  private async attempt(post: DiscordPost, attempt: number, signal: AbortSignal | undefined): Promise<Attempt> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.requestUrl(post), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(this.body(post)),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw new DiscordDeliveryError('Discord post aborted', null);
      const reason = timeout.aborted ? `no response within ${this.timeoutMs} ms` : `network error (${networkErrorCode(err)})`;
      return { retry: reason, waitMs: this.backoff(attempt) };
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      return { done: { messageId: this.options.wait ? messageIdOf(text) : null, attempts: attempt } };
    }
    if (response.status === 429) {
      const { waitMs, global } = rateLimitOf(response, text);
      if (global) {
        // The gate makes every webhook on this host wait, this one included (before its next attempt).
        this.gate.pause(this.address.host, this.clock.now() + waitMs);
        return { retry: `HTTP 429 (global rate limit, retry after ${waitMs} ms)`, waitMs: 0 };
      }
      return { retry: `HTTP 429 (retry after ${waitMs} ms)`, waitMs };
    }
    if (response.status >= 500) {
      return { retry: `HTTP ${response.status}`, waitMs: this.backoff(attempt) };
    }
    throw new DiscordDeliveryError(`Discord rejected the post: HTTP ${response.status} ${discordErrorOf(text)}`, response.status);
  }

  private requestUrl(post: DiscordPost): string {
    const query = new URLSearchParams();
    query.set('wait', this.options.wait ? 'true' : 'false');
    if (post.threadId !== undefined) query.set('thread_id', post.threadId);
    return `${this.address.url}?${query.toString()}`;
  }

  private body(post: DiscordPost): Record<string, unknown> {
    return {
      content: post.content,
      // Never ping anyone: log lines and alerts may contain @everyone or <@id> text.
      allowed_mentions: { parse: [] },
      ...(this.options.username !== undefined && { username: this.options.username }),
      ...(this.options.avatarUrl !== undefined && { avatar_url: this.options.avatarUrl }),
    };
  }

  private backoff(attempt: number): number {
    return Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
  }

  private async sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0 && !signal?.aborted) return;
    try {
      await this.clock.sleep(Math.max(ms, 0), signal);
    } catch {
      throw new DiscordDeliveryError('Discord post aborted', null);
    }
  }
}

/** Discord's wait: body `retry_after` (seconds, fractional), else the `Retry-After` header, else 1 s. */
function rateLimitOf(response: Response, text: string): { waitMs: number; global: boolean } {
  const body = parseJson(text);
  const fromBody = typeof body?.['retry_after'] === 'number' ? body['retry_after'] : null;
  const fromHeader = Number.parseFloat(response.headers.get('retry-after') ?? '');
  const seconds = fromBody ?? (Number.isFinite(fromHeader) ? fromHeader : 1);
  const global = body?.['global'] === true || response.headers.get('x-ratelimit-global') === 'true';
  return { waitMs: Math.ceil(Math.max(seconds, 0) * 1000), global };
}

function messageIdOf(text: string): string | null {
  const id = parseJson(text)?.['id'];
  return typeof id === 'string' ? id : null;
}

/** Discord's own words for a rejection (`{code, message}`), bounded in length. */
function discordErrorOf(text: string): string {
  const body = parseJson(text);
  if (body && typeof body['message'] === 'string') {
    return `(code ${String(body['code'])}: ${body['message']})`;
  }
  return text.slice(0, 200);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** `ECONNREFUSED`-style code only: the error's message may carry the address. */
function networkErrorCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : 'fetch failed';
}
