import { createHash } from 'node:crypto';
import type { AlertThrottleStore } from './alert-throttle-store.js';

export type Severity = 'critical' | 'error' | 'warning' | 'info' | 'debug' | 'trace';

/** One distinct emoji per severity, so the level reads at a glance in Discord. */
export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  critical: '🚨',
  error: '❌',
  warning: '⚠️',
  info: 'ℹ️',
  debug: '🐛',
  trace: '🔍',
};

export interface AlertOptions {
  /** @default 'warning' */
  severity?: Severity;
  /** Within this many seconds after an alert under the same key, repeats are held back. @default 60 */
  cooldownSec?: number;
  /** On: only the same message is held back, a different one goes out. Off: the key alone is throttled. @default true */
  dedupe?: boolean;
  /** Post into this thread of the channel. */
  threadId?: string;
}

/** `sent`: queued for Discord; `suppressed`: within the cooldown; `dropped`: the channel's queue was full. */
export type AlertOutcome = 'sent' | 'suppressed' | 'dropped';

/** Where alerts are queued: a `DiscordWorker`. */
export interface AlertChannel {
  enqueue(text: string, options?: { threadId?: string }): boolean;
}

export interface AlerterOptions {
  /** The channel's worker (e.g. ETL_TOTAL_USD_VALUE_ALERT's). */
  channel: AlertChannel;
  /** Share it across runs (and instances, with PostgreSQL): the cooldown lives there. */
  store: AlertThrottleStore;
  /** @default Date.now */
  now?: () => number;
  /**
   * Told when the store fails. The alert then goes out anyway: a repeated alert
   * is better than a lost one. @default ignore
   */
  onStoreError?: (err: unknown) => void;
}

/** Throttled alerts to one Discord channel. */
export class Alerter {
  private readonly now: () => number;

  constructor(private readonly options: AlerterOptions) {
    this.now = options.now ?? Date.now;
  }

  async trigger(key: string, message: string, options: AlertOptions = {}): Promise<AlertOutcome> {
    const { severity = 'warning', cooldownSec = 60, dedupe = true, threadId } = options;
    const hash = dedupe ? createHash('sha256').update(message).digest('hex') : null;
    let claimed = true;
    try {
      claimed = await this.options.store.claim(key, hash, new Date(this.now()), cooldownSec);
    } catch (err) {
      this.options.onStoreError?.(err);
    }
    if (!claimed) return 'suppressed';
    const text = `${SEVERITY_EMOJI[severity]} **${severity.toUpperCase()}** ${message}`;
    return this.options.channel.enqueue(text, threadId === undefined ? {} : { threadId }) ? 'sent' : 'dropped';
  }
}
