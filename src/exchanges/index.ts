import type { ExchangeCredentials, ExchangeName } from '../domain/portfolio.js';
import { createBinanceClient } from './binance.js';
import { createBingxClient } from './bingx.js';
import { createBitmartClient } from './bitmart.js';
import { createBitmexClient } from './bitmex.js';
import { createBybitClient } from './bybit.js';
import { createOkxClient } from './okx.js';
import { createSimulatedClient } from './simulated.js';
import type { ExchangeClient, ExchangeClientOptions } from './types.js';
import { createZoomexClient } from './zoomex.js';

export { ExchangeError, EXCHANGE_ERROR_KINDS, type ExchangeErrorKind } from './errors.js';
export { listSimulatedTransfers, simulateSummary, type SimulatedOptions, type SimulatedTransfer } from './simulated.js';
export type { ExchangeClient, ExchangeClientOptions, FetchSummaryOptions } from './types.js';

type Factory = (credentials: ExchangeCredentials, options: ExchangeClientOptions) => ExchangeClient;

const FACTORIES: Readonly<Record<ExchangeName, Factory>> = {
  binance: createBinanceClient,
  bybit: createBybitClient,
  okx: createOkxClient,
  bingx: createBingxClient,
  bitmex: createBitmexClient,
  bitmart: createBitmartClient,
  zoomex: createZoomexClient,
  simulated: (_credentials, options) => createSimulatedClient(options.portfolio, options.simulated),
};

/** The snapshot client for a portfolio's `exchange` field. */
export function createExchangeClient(
  exchange: ExchangeName,
  credentials: ExchangeCredentials,
  options: ExchangeClientOptions,
): ExchangeClient {
  return FACTORIES[exchange](credentials, options);
}
