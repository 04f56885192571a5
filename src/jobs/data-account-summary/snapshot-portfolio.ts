/**
 * One portfolio's snapshot: resolve its credentials from the warehouse, ask its
 * exchange, bounded by a timeout and the run's signal. Every failure becomes a
 * SnapshotFailure whose text is safe to log and post (no credential values).
 */
import type { AccountSummaryRecord } from '../../domain/account-summary.js';
import { EXCHANGE_NAMES, type ExchangeCredentials, type ExchangeName, type Portfolio } from '../../domain/portfolio.js';
import { createExchangeClient, ExchangeError, type SimulatedOptions } from '../../exchanges/index.js';
import { redact } from '../../exchanges/errors.js';
import { CredentialError, WarehouseInputError } from '../../warehouse/errors.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { isExchangeName } from './snapshot-plan.js';

/** Per-exchange client settings: protocol test servers, call timeouts, the simulator's behaviour. */
export interface ExchangeOverrides {
  readonly baseUrl?: string;
  readonly timeoutMs?: number;
  readonly simulated?: SimulatedOptions;
}

/** Settings for a portfolio's client; the portfolio name lets tests and demos vary them per account. */
export type ExchangeOptionsFor = (exchange: ExchangeName, portfolio: string) => ExchangeOverrides;

/**
 * Why a snapshot failed. `cancelled` means the run itself was aborted (timeout,
 * shutdown): not the portfolio's fault, so it is neither counted nor alerted.
 */
export type FailureKind = ExchangeError['kind'] | 'unknown_exchange' | 'credentials' | 'storage' | 'cancelled' | 'error';

export class SnapshotFailure extends Error {
  override readonly name = 'SnapshotFailure';
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface SnapshotRequest {
  readonly warehouse: Warehouse;
  readonly portfolio: Portfolio;
  readonly currentTime: Date;
  readonly since: Date;
  readonly timeoutMs: number;
  readonly runSignal: AbortSignal;
  readonly exchangeOptions: ExchangeOptionsFor;
}

export async function snapshotPortfolio(request: SnapshotRequest): Promise<AccountSummaryRecord> {
  const { portfolio, runSignal } = request;
  const exchange = portfolio.exchange;
  if (!isExchangeName(exchange)) {
    throw new SnapshotFailure('unknown_exchange', `unknown exchange "${exchange}"; expected one of ${EXCHANGE_NAMES.join(', ')}`);
  }
  const credentials = await request.warehouse.credentialsFor(portfolio.portfolio).catch((err: unknown) => {
    if (err instanceof CredentialError || err instanceof WarehouseInputError) throw new SnapshotFailure('credentials', err.message);
    throw err;
  });
  const client = createExchangeClient(exchange, credentials, { portfolio: portfolio.portfolio, ...request.exchangeOptions(exchange, portfolio.portfolio) });
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const summary = await client.fetchSummary({ signal: AbortSignal.any([runSignal, timeout]), since: request.since, now: request.currentTime });
    return { ...summary, portfolio: portfolio.portfolio, exchange, currentTime: request.currentTime };
  } catch (err) {
    throw fetchFailure(err, { runAborted: runSignal.aborted, timedOut: timeout.aborted, timeoutMs: request.timeoutMs, credentials });
  } finally {
    await client.close();
  }
}

function fetchFailure(
  err: unknown,
  state: { runAborted: boolean; timedOut: boolean; timeoutMs: number; credentials: ExchangeCredentials },
): SnapshotFailure {
  // The run's abort wins: a portfolio cut off by shutdown did not fail.
  if (state.runAborted) return new SnapshotFailure('cancelled', 'the run was aborted');
  if (state.timedOut) return new SnapshotFailure('timeout', `no answer within ${state.timeoutMs / 1000} s`);
  // Adapters redact their own messages; anything else is redacted here, the last place holding the values.
  if (err instanceof ExchangeError) return new SnapshotFailure(err.kind, redact(err.message, state.credentials));
  const text = err instanceof Error ? err.message : String(err);
  return new SnapshotFailure('error', redact(text, state.credentials));
}
