import { startBybitFamilyServer, type BybitFamilyServer, type TransferRecord } from './bybit-family.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

interface WalletBody {
  result: { list: Array<{ accountType: string; totalEquity: string; coin: Array<{ coin: string; usdValue: string }> }> };
}

/**
 * Zoomex OpenAPI v3 (Bybit family) under /cloud/trade/v3. Zoomex is not in
 * ccxt, so the bodies are Bybit's recorded ones reshaped as a contract wallet:
 * no account total, and USDC without a USD value (stable coins then count at 1).
 */
export function startZoomexServer(credentials: ServerCredentials): Promise<BybitFamilyServer> {
  const wallet = (): unknown => {
    const body = recordedBody('bybit', 'fetchBalance', 'unified (UTA wallet-balance)') as WalletBody;
    const account = body.result.list[0]!;
    account.accountType = 'CONTRACT';
    account.totalEquity = '';
    for (const coin of account.coin) if (coin.coin === 'USDC') coin.usdValue = '';
    return body;
  };
  const recorded = recordedBody('bybit', 'fetchTransfers', 'fetchTransfers') as { result: { list: TransferRecord[] } };
  const transfers = recorded.result.list.map((t) => ({ ...t, fromAccountType: 'CONTRACT' }));
  return startBybitFamilyServer(credentials, '/cloud/trade/v3', wallet, transfers);
}
