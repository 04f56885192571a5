import type { AccountSummary } from '../domain/account-summary.js';
import { ExchangeError, type ExchangeErrorKind } from './errors.js';
import { hash01, SIMULATED_ASSETS, simulatedPrice } from './simulated-market.js';
import { summarize, sumNotional, type AssetRow } from './summary.js';
import type { ExchangeClient, FetchSummaryOptions } from './types.js';

export interface SimulatedOptions {
  /**
   * Mixed into every random draw. The market (prices) depends on this seed
   * only, so all simulated portfolios see the same prices; holdings and
   * transfers also depend on the portfolio name.
   * @default 'kairos'
   */
  readonly seed?: string;
  /**
   * Portfolio value in USD at the base prices. Prices move about ±15 %, so
   * a value a few percent above a position threshold crosses it sometimes.
   * @default between 50 000 and 500 000, drawn from the portfolio seed
   */
  readonly startUsd?: number;
  /**
   * Probability that a day has one deposit or withdrawal (USDT).
   * @default 0.15
   */
  readonly transferProbability?: number;
  /**
   * Probability that a fetchSummary call fails, drawn per call.
   * @default 0
   */
  readonly failureRate?: number;
  /**
   * Kinds an injected failure takes, picked per call.
   * @default ['network', 'rate_limit', 'timeout']
   */
  readonly failureKinds?: readonly ExchangeErrorKind[];
  /**
   * Response latency range in ms, drawn per call; the wait honours the signal.
   * @default { min: 0, max: 0 }
   */
  readonly latencyMs?: { readonly min: number; readonly max: number };
}

export interface SimulatedTransfer {
  readonly time: Date;
  readonly asset: 'USDT';
  /** Positive for a deposit into the account, negative for a withdrawal. */
  readonly amount: number;
}

const DAY_MS = 86_400_000;
/** Transfers are generated from this day on; any instant after it is reachable. */
const EPOCH_MS = Date.UTC(2024, 0, 1);
/** Share of the start value held as USDT; transfers are kept so USDT never runs out. */
const CASH_SHARE = 0.4;

interface Model {
  readonly marketSeed: string;
  readonly seed: string;
  readonly startUsd: number;
  readonly transferProbability: number;
  /** Start quantity per asset. */
  readonly quantities: ReadonlyMap<string, number>;
}

function model(portfolio: string, options: SimulatedOptions = {}): Model {
  const marketSeed = options.seed ?? 'kairos';
  const seed = `${marketSeed}/${portfolio}`;
  const startUsd = options.startUsd ?? 50_000 + Math.floor(hash01(seed, 'start') * 450_000);
  const crypto = SIMULATED_ASSETS.filter((a) => a.volatility > 0);
  const weights = crypto.map((a) => 0.2 + hash01(seed, 'weight', a.asset));
  const weightSum = weights.reduce((s, w) => s + w, 0);
  const quantities = new Map<string, number>([['USDT', startUsd * CASH_SHARE]]);
  crypto.forEach((a, i) => quantities.set(a.asset, ((1 - CASH_SHARE) * startUsd * weights[i]!) / weightSum / a.basePrice));
  return { marketSeed, seed, startUsd, transferProbability: options.transferProbability ?? 0.15, quantities };
}

/**
 * All transfers in (from, to]. At most one a day, at a drawn instant, of 1-5 %
 * of the start value; the direction is drawn, except that cumulative net flow
 * is kept within [-30 %, +50 %] of the start value so the cash never runs out.
 */
function transfersUntil(m: Model, to: Date): SimulatedTransfer[] {
  const out: SimulatedTransfer[] = [];
  let net = 0;
  for (let day = EPOCH_MS; day <= to.getTime(); day += DAY_MS) {
    if (hash01(m.seed, 'transfer?', day) >= m.transferProbability) continue;
    const time = day + Math.floor(hash01(m.seed, 'transfer-at', day) * DAY_MS);
    if (time > to.getTime()) break;
    const size = m.startUsd * (0.01 + 0.04 * hash01(m.seed, 'transfer-size', day));
    let sign = hash01(m.seed, 'transfer-dir', day) < 0.5 ? 1 : -1;
    if (net - size < -0.3 * m.startUsd) sign = 1;
    if (net + size > 0.5 * m.startUsd) sign = -1;
    net += sign * size;
    out.push({ time: new Date(time), asset: 'USDT', amount: sign * size });
  }
  return out;
}

/** Deposits and withdrawals of a simulated portfolio in (from, to], oldest first. */
export function listSimulatedTransfers(portfolio: string, options: SimulatedOptions | undefined, from: Date, to: Date): SimulatedTransfer[] {
  return transfersUntil(model(portfolio, options), to).filter((t) => t.time > from);
}

/** The portfolio's summary at `now`; a pure function of (portfolio, options, since, now). */
export function simulateSummary(portfolio: string, options: SimulatedOptions | undefined, since: Date, now: Date): AccountSummary {
  const m = model(portfolio, options);
  const transfers = transfersUntil(m, now);
  const netIn = transfers.reduce((s, t) => s + t.amount, 0);
  const rows: AssetRow[] = SIMULATED_ASSETS.map((a) => {
    const total = (m.quantities.get(a.asset) ?? 0) + (a.asset === 'USDT' ? netIn : 0);
    // Open orders lock a drawn share (0-10 %) of the crypto, changing hourly.
    const locked = a.volatility > 0 ? 0.1 * hash01(m.seed, 'locked', a.asset, Math.floor(now.getTime() / 3_600_000)) : 0;
    const price = simulatedPrice(m.marketSeed, a, now);
    return { asset: a.asset, total, available: total * (1 - locked), notional: total * price, liability: 0, interest: 0 };
  });
  // Money moved in counts negative, out positive (SPEC 13).
  const adjustment = transfers.filter((t) => t.time > since).reduce((s, t) => s - t.amount, 0);
  return summarize(rows, sumNotional(rows), adjustment);
}

export function createSimulatedClient(portfolio: string, options: SimulatedOptions = {}): ExchangeClient {
  const seed = `${options.seed ?? 'kairos'}/${portfolio}`;
  const failureKinds = options.failureKinds ?? ['network', 'rate_limit', 'timeout'];
  let calls = 0;
  return {
    async fetchSummary({ signal, since, now }: FetchSummaryOptions) {
      // Draws are keyed by snapshot time and call count: a rerun of the same
      // sequence fails the same way, and a retry of one snapshot may succeed.
      const call = calls++;
      const { min, max } = options.latencyMs ?? { min: 0, max: 0 };
      await delay(min + (max - min) * hash01(seed, 'latency', now.getTime(), call), signal);
      if (hash01(seed, 'fail', now.getTime(), call) < (options.failureRate ?? 0)) {
        const kind = failureKinds[Math.floor(hash01(seed, 'fail-kind', now.getTime(), call) * failureKinds.length)] ?? 'network';
        throw new ExchangeError(kind, 'simulated', `injected ${kind} failure`);
      }
      return simulateSummary(portfolio, options, since, now);
    },
    close: async () => {},
  };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  const aborted = () => new ExchangeError('aborted', 'simulated', 'aborted by the caller');
  if (signal.aborted) return Promise.reject(aborted());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
