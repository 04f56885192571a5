import { createHmac } from 'node:crypto';
import { header, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import { recordedBody, type ServerCredentials } from './fixtures.js';

export interface OkxBill {
  readonly ccy: string;
  readonly balChg: string;
  readonly type: string;
  readonly ts: string;
  readonly from: string;
  readonly to: string;
}

export interface OkxServer extends ProtocolServer {
  /** Account bills; the bills endpoint filters them by type and begin/end. */
  readonly bills: OkxBill[];
}

/** Requests older than this are rejected with 50102. */
const MAX_SKEW_MS = 30_000;

/**
 * OKX v5 REST: OK-ACCESS-KEY, OK-ACCESS-PASSPHRASE, OK-ACCESS-TIMESTAMP (ISO)
 * and OK-ACCESS-SIGN, the base64 HMAC-SHA256 of timestamp + method + request
 * path with query + body.
 */
export async function startOkxServer(credentials: ServerCredentials): Promise<OkxServer> {
  const reject = (status: number, code: string, msg: string): Reply => ({ status, body: { msg, code, data: [] } });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    if (header(req, 'ok-access-key') !== credentials.apiKey) return reject(401, '50111', 'Invalid OK-ACCESS-KEY');
    if (header(req, 'ok-access-passphrase') !== credentials.password) return reject(401, '50105', 'Invalid OK-ACCESS-PASSPHRASE');
    const timestamp = header(req, 'ok-access-timestamp');
    if (!(Math.abs(Date.now() - Date.parse(timestamp)) <= MAX_SKEW_MS)) return reject(401, '50102', 'Timestamp request expired');
    const requestPath = req.rawQuery === '' ? req.path : `${req.path}?${req.rawQuery}`;
    const expected = createHmac('sha256', credentials.apiSecret).update(timestamp + req.method + requestPath + req.body).digest('base64');
    return header(req, 'ok-access-sign') === expected ? undefined : reject(401, '50113', 'Invalid Sign');
  }

  const recorded = recordedBody('okx', 'fetchTransfers', 'fetch transfers') as { data: OkxBill[] };
  const bills = recorded.data;

  const server = await startProtocolServer({
    authenticate,
    rateLimited: reject(429, '50011', 'Too Many Requests'),
    routes: {
      'GET /api/v5/account/balance': {
        signed: true,
        handle: () => ({ status: 200, body: recordedBody('okx', 'fetchBalance', 'trading account (account/balance), default params') }),
      },
      'GET /api/v5/account/bills': {
        signed: true,
        handle: (req) => {
          const type = req.query.get('type');
          const begin = Number(req.query.get('begin') ?? 0);
          const end = Number(req.query.get('end') ?? Infinity);
          const data = bills.filter((b) => (type === null || b.type === type) && Number(b.ts) >= begin && Number(b.ts) <= end);
          return { status: 200, body: { code: '0', data, msg: '' } };
        },
      },
    },
  });
  return Object.assign(server, { bills });
}
