import { redactSecrets } from '../observability/logging/redact-secrets.js';
import { BoundedQueue } from './bounded-queue.js';
import { DiscordDeliveryError, type DiscordPoster } from './discord-webhook.js';
import { fitsOnePost, renderPost, toPostLines } from './post-format.js';

export interface DiscordWorkerOptions {
  /** The channel's name in `status()` (e.g. "process", "alerts"); not a secret. */
  channel: string;
  poster: DiscordPoster;
  /** Wrap each post in a ``` code block (log lines), or post plain text (alerts). @default false */
  codeBlock?: boolean;
  /** Lines waiting at most; a message that does not fit is dropped whole and counted. @default 1000 */
  maxQueuedLines?: number;
  /** Thread for messages enqueued without one. @default none: the channel itself */
  threadId?: string;
  /** First pause before trying a held batch again during an outage (doubles, capped at 30 s). @default 1000 */
  outageRetryMs?: number;
}

/** Counters since start; all but `retried` (requests) and `pending` (now) count lines. */
export interface ChannelStatus {
  channel: string;
  /** Lines accepted by `enqueue`. */
  queued: number;
  /** Lines Discord accepted. */
  sent: number;
  /** Requests repeated after a 429, 5xx, timeout or network error. */
  retried: number;
  /** Lines refused because the queue was full or closed, or discarded by a `close` that timed out. */
  dropped: number;
  /** Lines in posts that were given up on. */
  failed: number;
  /** Lines waiting now. */
  pending: number;
  /** Why the last post failed (secrets redacted), or null. */
  lastError: string | null;
}

interface QueuedLine {
  readonly text: string;
  readonly threadId: string | undefined;
}

/**
 * The queue in front of one webhook. `enqueue` is synchronous and never waits
 * for Discord; a single background loop packs waiting lines into as few posts
 * as the limits allow and sends them in order. Lines bound for different
 * threads never share a post.
 */
export class DiscordWorker {
  private readonly queue: BoundedQueue<QueuedLine>;
  private readonly codeBlock: boolean;
  private readonly abort = new AbortController();
  private readonly counters = { queued: 0, sent: 0, retried: 0, dropped: 0, failed: 0 };
  private lastError: string | null = null;
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly options: DiscordWorkerOptions) {
    this.queue = new BoundedQueue(options.maxQueuedLines ?? 1000);
    this.codeBlock = options.codeBlock ?? false;
  }

  /** Queues `text` (secrets redacted, split into lines); false when it was dropped. Blank text is ignored. */
  enqueue(text: string, options: { threadId?: string } = {}): boolean {
    const threadId = options.threadId ?? this.options.threadId;
    const lines = toPostLines(redactSecrets(text), this.codeBlock).map((line) => ({ text: line, threadId }));
    if (lines.length === 0) return true;
    if (this.closing || !this.queue.pushAll(lines)) {
      this.counters.dropped += lines.length;
      return false;
    }
    this.counters.queued += lines.length;
    if (!this.draining) {
      this.draining = true;
      // Deferred so that lines enqueued in the same tick share a post.
      setImmediate(() => void this.drain());
    }
    return true;
  }

  status(): ChannelStatus {
    return { channel: this.options.channel, ...this.counters, pending: this.queue.size, lastError: this.lastError };
  }

  /** Resolves true once everything queued so far is sent or given up on, false if `timeoutMs` passes first. */
  async flush(timeoutMs = 5000): Promise<boolean> {
    if (!this.draining) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.idle().then(() => true as const), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Refuses new lines, then waits up to `timeoutMs` for the queue to drain;
   * past that, aborts the post in flight and discards the rest (counted).
   * Idempotent.
   */
  close(timeoutMs = 5000): Promise<void> {
    this.closing ??= (async () => {
      if (await this.flush(timeoutMs)) return;
      this.abort.abort();
      this.counters.dropped += this.queue.clear();
      await this.idle();
    })();
    return this.closing;
  }

  private idle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    while (this.queue.size > 0) await this.send(this.takeBatch());
    this.draining = false;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** The longest run of waiting lines, for one thread, that fits one post. */
  private takeBatch(): { lines: string[]; threadId: string | undefined } {
    const first = this.queue.shift() as QueuedLine;
    const lines = [first.text];
    let length = first.text.length;
    for (let next = this.queue.peek(); next !== undefined; next = this.queue.peek()) {
      if (next.threadId !== first.threadId || !fitsOnePost(lines.length, length, next.text.length, this.codeBlock)) break;
      this.queue.shift();
      lines.push(next.text);
      length += 1 + next.text.length;
    }
    return { lines, threadId: first.threadId };
  }

  /**
   * Posts one batch. While Discord is out (the transport gave up on 5xx, timeouts or
   * network errors) the batch is held, and everything behind it waits in order, and
   * tried again with capped backoff: an outage delays posts but loses none within the
   * queue bound. A post Discord rejects (4xx) or a close past its deadline is counted as failed.
   */
  private async send({ lines, threadId }: { lines: string[]; threadId: string | undefined }): Promise<void> {
    for (let round = 0; ; round++) {
      try {
        await this.options.poster.post(
          { content: renderPost(lines, this.codeBlock), ...(threadId !== undefined && { threadId }) },
          { signal: this.abort.signal, onRetry: () => this.counters.retried++ },
        );
        this.counters.sent += lines.length;
        return;
      } catch (err) {
        // Never thrown on: a failing Discord must not stop the loop nor reach the caller.
        this.lastError = redactSecrets(err instanceof Error ? err.message : String(err));
        const outage = err instanceof DiscordDeliveryError && err.status === null;
        if (!outage || this.abort.signal.aborted) {
          this.counters.failed += lines.length;
          return;
        }
        this.counters.retried++;
        await pause(Math.min((this.options.outageRetryMs ?? 1_000) * 2 ** round, 30_000), this.abort.signal);
      }
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
