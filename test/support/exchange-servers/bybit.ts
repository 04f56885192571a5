import { startBybitFamilyServer, type BybitFamilyServer, type TransferRecord } from './bybit-family.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

/** Bybit v5: the recorded UNIFIED wallet and inter-transfer bodies under /v5. */
export function startBybitServer(credentials: ServerCredentials): Promise<BybitFamilyServer> {
  const recorded = recordedBody('bybit', 'fetchTransfers', 'fetchTransfers') as { result: { list: TransferRecord[] } };
  return startBybitFamilyServer(
    credentials,
    '/v5',
    () => recordedBody('bybit', 'fetchBalance', 'unified (UTA wallet-balance)'),
    recorded.result.list,
  );
}
