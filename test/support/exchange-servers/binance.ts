import { createHmac } from 'node:crypto';
import { header, queryWithoutSignature, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

/**
 * Binance spot REST (SIGNED endpoints): X-MBX-APIKEY header; `signature` is
 * the hex HMAC-SHA256 of the query string before it; `timestamp` must fall
 * within `recvWindow` (default 5000 ms) of the server clock.
 */
export function startBinanceServer(credentials: ServerCredentials): Promise<ProtocolServer> {
  const reject = (status: number, code: number, msg: string): Reply => ({ status, body: { code, msg } });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    if (header(req, 'x-mbx-apikey') !== credentials.apiKey) return reject(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const timestamp = Number(req.query.get('timestamp'));
    const recvWindow = Number(req.query.get('recvWindow') ?? 5000);
    if (!(Math.abs(Date.now() - timestamp) <= recvWindow)) {
      return reject(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    }
    const { signed, signature } = queryWithoutSignature(req.rawQuery);
    const expected = createHmac('sha256', credentials.apiSecret).update(signed + req.body).digest('hex');
    return signature === expected ? undefined : reject(400, -1022, 'Signature for this request is not valid.');
  }

  // No ticker/price body is recorded; its documented shape is built from the recorded last prices.
  const btc = recordedBody('binance', 'fetchTicker', 'public spot ticker') as { lastPrice: string };
  const rolling = recordedBody('binance', 'fetchTickers', 'rolling tickers') as Array<{ symbol: string; lastPrice: string }>;
  const prices = [
    { symbol: 'BTCUSDT', price: btc.lastPrice },
    ...rolling.filter((t) => t.symbol !== 'BTCUSDT').map((t) => ({ symbol: t.symbol, price: t.lastPrice })),
  ];

  return startProtocolServer({
    authenticate,
    rateLimited: reject(429, -1003, 'Too much request weight used; current limit is 6000 request weight per 1 MINUTE.'),
    routes: {
      'GET /api/v3/account': {
        signed: true,
        handle: (req) => {
          const body = recordedBody('binance', 'fetchBalance', 'spot') as { balances: Array<{ free: string; locked: string }> };
          if (req.query.get('omitZeroBalances') === 'true') {
            body.balances = body.balances.filter((b) => Number(b.free) + Number(b.locked) > 0);
          }
          return { status: 200, body };
        },
      },
      'GET /api/v3/ticker/price': { signed: false, handle: () => ({ status: 200, body: prices }) },
    },
  });
}
