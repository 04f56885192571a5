/**
 * The demo portfolios (SPEC 2): two master portfolios of two accounts each,
 * all four in one composite, and a stand-alone account whose threshold the
 * simulated walk crosses now and then, so every job and alert has real work.
 */
import type { Portfolio } from '../domain/portfolio.js';
import { simulateSummary, type SimulatedOptions } from '../exchanges/index.js';
import type { StoredCredentials } from '../warehouse/warehouse.js';

/** The simulated exchange ignores credentials; these say what they are wherever they show up. */
export const DEMO_CREDENTIALS: StoredCredentials = {
  apiKey: 'demo-only-not-a-real-key',
  apiSecret: 'demo-only-not-a-real-secret',
};

export const DEMO_COMPOSITE = 'demo-fund';
export const DEMO_THRESHOLD_PORTFOLIO = 'demo-watch';

const HOUR_MS = 3_600_000;
/** The threshold is the value the portfolio was at or below this share of the time... */
const THRESHOLD_QUANTILE = 0.2;
/** ...over this window before seeding, sampled this often. */
const CALIBRATION_WINDOW_MS = 30 * 24 * HOUR_MS;
const CALIBRATION_STEP_MS = 6 * HOUR_MS;

function member(portfolio: string, masterPortfolio: string): Portfolio {
  return { portfolio, exchange: 'simulated', status: 'active', positionThreshold: null, masterPortfolio, composite: DEMO_COMPOSITE };
}

/** The demo set, its threshold calibrated on the simulated values before `now`. */
export function demoPortfolios(now: Date, simulated: SimulatedOptions = {}): Portfolio[] {
  return [
    member('demo-alpha-1', 'demo-alpha'),
    member('demo-alpha-2', 'demo-alpha'),
    member('demo-beta-1', 'demo-beta'),
    member('demo-beta-2', 'demo-beta'),
    {
      portfolio: DEMO_THRESHOLD_PORTFOLIO,
      exchange: 'simulated',
      status: 'active',
      positionThreshold: calibrateThreshold(DEMO_THRESHOLD_PORTFOLIO, simulated, now),
      masterPortfolio: null,
      composite: null,
    },
  ];
}

/**
 * A whole-dollar value the portfolio was at or below about a fifth of the time
 * over the last month. The walk is stationary around its base prices, so it
 * keeps crossing such a level now and then instead of always or never.
 */
export function calibrateThreshold(portfolio: string, simulated: SimulatedOptions, now: Date): number {
  const values: number[] = [];
  for (let t = now.getTime() - CALIBRATION_WINDOW_MS; t <= now.getTime(); t += CALIBRATION_STEP_MS) {
    const at = new Date(t);
    values.push(simulateSummary(portfolio, simulated, at, at).totalUsdValue);
  }
  values.sort((a, b) => a - b);
  return Math.round(values[Math.floor(THRESHOLD_QUANTILE * (values.length - 1))]!);
}
