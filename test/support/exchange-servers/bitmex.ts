import { createHmac } from 'node:crypto';
import { header, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

/**
 * No BitMEX margin body is recorded (fixtures/README.md); this one follows
 * the documented Margin model: integer amounts in XBt (1e-8) and USDt (1e-6).
 */
export const BITMEX_MARGINS = [
  { account: 1234567, currency: 'XBt', walletBalance: 12_000_000, marginBalance: 12_345_678, availableMargin: 10_000_000 },
  { account: 1234567, currency: 'USDt', walletBalance: 250_000_000, marginBalance: 250_500_000, availableMargin: 200_000_000 },
];

/**
 * BitMEX API-key authentication: api-key, api-expires (unix seconds, must be
 * in the future) and api-signature, the hex HMAC-SHA256 of verb + path with
 * query + expires + body. Errors are `{error: {message, name}}` bodies.
 */
export function startBitmexServer(credentials: ServerCredentials): Promise<ProtocolServer> {
  const reject = (status: number, message: string, name = 'HTTPError'): Reply => ({ status, body: { error: { message, name } } });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    if (header(req, 'api-key') !== credentials.apiKey) return reject(401, 'Invalid API Key.');
    const expires = header(req, 'api-expires');
    if (!(Number(expires) > Date.now() / 1000)) return reject(401, 'This request has expired - `expires` is in the past.');
    const path = req.rawQuery === '' ? req.path : `${req.path}?${req.rawQuery}`;
    const expected = createHmac('sha256', credentials.apiSecret).update(req.method + path + expires + req.body).digest('hex');
    return header(req, 'api-signature') === expected ? undefined : reject(401, 'Signature not valid.');
  }

  const instruments = recordedBody('bitmex', 'fetchTicker', 'fetchTicker') as Array<{ symbol: string }>;
  return startProtocolServer({
    authenticate,
    rateLimited: reject(429, 'Rate limit exceeded, retry in 1 seconds.', 'RateLimitError'),
    routes: {
      'GET /api/v1/user/margin': { signed: true, handle: () => ({ status: 200, body: BITMEX_MARGINS }) },
      'GET /api/v1/instrument': {
        signed: false,
        handle: (req) => ({ status: 200, body: instruments.filter((i) => i.symbol === req.query.get('symbol')) }),
      },
    },
  });
}
