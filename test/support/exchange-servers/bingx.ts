import { createHmac } from 'node:crypto';
import { header, queryWithoutSignature, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

const MAX_SKEW_MS = 5_000;

/**
 * BingX open API: X-BX-APIKEY header; `signature` is the hex HMAC-SHA256 of
 * the query string before it; `timestamp` must be within 5 s. Errors are
 * `{code, msg}` bodies.
 */
export function startBingxServer(credentials: ServerCredentials): Promise<ProtocolServer> {
  const reject = (status: number, code: number, msg: string): Reply => ({ status, body: { code, msg, timestamp: Date.now() } });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    if (header(req, 'x-bx-apikey') !== credentials.apiKey) return reject(200, 100413, 'Incorrect apiKey');
    if (!(Math.abs(Date.now() - Number(req.query.get('timestamp'))) <= MAX_SKEW_MS)) {
      return reject(200, 109400, 'timestamp is invalid');
    }
    const { signed, signature } = queryWithoutSignature(req.rawQuery);
    const expected = createHmac('sha256', credentials.apiSecret).update(signed).digest('hex');
    return signature === expected ? undefined : reject(200, 100001, 'Signature verification failed due to signature mismatch');
  }

  return startProtocolServer({
    authenticate,
    rateLimited: reject(429, 100410, 'rate limited, please slow down'),
    routes: {
      'GET /openApi/swap/v3/user/balance': {
        signed: true,
        handle: () => ({ status: 200, body: recordedBody('bingx', 'fetchBalance', 'swap-linear (perpetual futures account)') }),
      },
    },
  });
}
