/** One alert channel as a run uses it: throttled Discord alerts, or log lines when the channel is off. */
import type { BaseLogger as Logger } from 'pino';
import type { Alerter, Severity } from '../../notify/alerter.js';

export class RunAlerts {
  /** Alerts that reached the channel's queue during this run. */
  sent = 0;

  constructor(
    private readonly alerter: Alerter | null,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly cooldownSec: number,
  ) {}

  /**
   * Raises an alert under `key`. The key alone is throttled (dedupe off): the
   * messages carry values and times that change every run, so deduplicating on
   * the text would let every one of them through.
   */
  async raise(key: string, message: string, severity: Severity): Promise<void> {
    if (this.alerter === null) {
      this.logger.warn({ alert: key, severity }, `${this.channel} alert channel disabled: ${message}`);
      return;
    }
    const outcome = await this.alerter.trigger(key, message, { severity, cooldownSec: this.cooldownSec, dedupe: false });
    if (outcome === 'sent') this.sent++;
    this.logger.info({ alert: key, severity, outcome }, message);
  }
}
