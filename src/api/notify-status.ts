/**
 * What the API reads of a notification channel (the notifier's `status()`
 * satisfies it). Counters since start, in lines; `pending` is the queue now.
 * Only counts: a channel's webhook URL or last error never reach the API.
 */
export interface NotifyChannelStatus {
  readonly channel: string;
  readonly queued: number;
  readonly sent: number;
  readonly retried: number;
  readonly dropped: number;
  readonly failed: number;
  readonly pending: number;
}
