import { createHmac } from 'node:crypto';
import { header, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

const MAX_SKEW_MS = 60_000;

/**
 * BitMart SIGNED authentication: X-BM-KEY, X-BM-TIMESTAMP (ms, within a
 * minute) and X-BM-SIGN, the hex HMAC-SHA256 of timestamp#memo#query-or-body.
 * Errors are `{message, code, trace, data}` bodies; success is code 1000.
 */
export function startBitmartServer(credentials: ServerCredentials): Promise<ProtocolServer> {
  const reject = (status: number, code: number, message: string): Reply => ({
    status,
    body: { message, code, trace: 'a1b2c3d4-0000-0000-0000-000000000000', data: {} },
  });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    if (header(req, 'x-bm-key') !== credentials.apiKey) return reject(401, 30003, 'Header X-BM-KEY not found');
    const timestamp = header(req, 'x-bm-timestamp');
    if (!(Math.abs(Date.now() - Number(timestamp)) <= MAX_SKEW_MS)) return reject(401, 30007, 'Header X-BM-TIMESTAMP range. Within a minute');
    const payload = `${timestamp}#${credentials.memo ?? ''}#${req.method === 'GET' ? req.rawQuery : req.body}`;
    const expected = createHmac('sha256', credentials.apiSecret).update(payload).digest('hex');
    return header(req, 'x-bm-sign') === expected ? undefined : reject(401, 30005, 'Header X-BM-SIGN is wrong');
  }

  const ticker = recordedBody('bitmart', 'fetchTicker', 'spot ticker') as { data: { symbol: string } };
  return startProtocolServer({
    authenticate,
    rateLimited: reject(429, 30013, 'Requests too frequent, please try again later'),
    routes: {
      'GET /spot/v1/wallet': { signed: true, handle: () => ({ status: 200, body: recordedBody('bitmart', 'fetchBalance', 'spot') }) },
      'GET /spot/quotation/v3/ticker': {
        signed: false,
        // Only BTC_USDT's ticker is recorded; other pairs answer as a pair BitMart does not list.
        handle: (req) =>
          req.query.get('symbol') === ticker.data.symbol
            ? { status: 200, body: ticker }
            : reject(400, 51552, 'Invalid symbol'),
      },
    },
  });
}
