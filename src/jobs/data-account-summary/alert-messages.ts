/** Pure texts of the job's alerts and their throttle keys (one key per portfolio and kind). */

/** Built on first use: creating it loads locale data (tens of ms at start-up). */
let usd: Intl.NumberFormat | null = null;

/** `1234567.891` → `1,234,567.89`. */
export function formatUsd(value: number): string {
  usd ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return usd.format(value);
}

/** `2025-01-01 00:00:00 UTC`. */
export function formatUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const alertKeys = {
  underThreshold: (portfolio: string) => `usd_under:${portfolio}`,
  snapshotFailed: (portfolio: string) => `snapshot_failed:${portfolio}`,
  stale: (portfolio: string) => `stale:${portfolio}`,
};

export function underThresholdMessage(portfolio: string, totalUsdValue: number, threshold: number, currentTime: Date): string {
  return `Portfolio ${portfolio}: total USD value ${formatUsd(totalUsdValue)} is at or below its threshold ${formatUsd(threshold)} at ${formatUtc(currentTime)}`;
}

export function snapshotFailedMessage(portfolio: string, exchange: string, reason: string, currentTime: Date): string {
  return `Portfolio ${portfolio} (${exchange}): snapshot for ${formatUtc(currentTime)} failed: ${reason}`;
}

export function staleMessage(portfolio: string, latest: Date, currentTime: Date): string {
  const minutes = Math.floor((currentTime.getTime() - latest.getTime()) / 60_000);
  return `Portfolio ${portfolio}: no snapshot for ${minutes} min (last at ${formatUtc(latest)})`;
}
