import { createHmac } from 'node:crypto';
import { header, startProtocolServer, type ProtocolServer, type ReceivedRequest, type Reply } from './base.js';
import type { ServerCredentials } from './fixtures.js';

export interface TransferRecord {
  readonly transferId: string;
  readonly coin: string;
  readonly amount: string;
  readonly fromAccountType: string;
  readonly toAccountType: string;
  readonly timestamp: string;
  readonly status: string;
}

export interface BybitFamilyServer extends ProtocolServer {
  /** Inter-account transfers the server knows; the list endpoint filters them by startTime/endTime. */
  readonly transfers: TransferRecord[];
}

/**
 * Bybit v5 authentication, shared by Zoomex v3: X-BAPI-API-KEY,
 * X-BAPI-TIMESTAMP, X-BAPI-RECV-WINDOW and X-BAPI-SIGN, the hex HMAC-SHA256 of
 * timestamp + key + recv window + query string. Errors come as retCode bodies.
 */
export async function startBybitFamilyServer(
  credentials: ServerCredentials,
  prefix: string,
  wallet: () => unknown,
  transfers: TransferRecord[],
): Promise<BybitFamilyServer> {
  const reject = (retCode: number, retMsg: string, status = 200): Reply => ({
    status,
    body: { retCode, retMsg, result: {}, retExtInfo: {}, time: Date.now() },
  });

  function authenticate(req: ReceivedRequest): Reply | undefined {
    const key = header(req, 'x-bapi-api-key');
    if (key !== credentials.apiKey) return reject(10003, 'API key is invalid.', 401);
    const timestamp = header(req, 'x-bapi-timestamp');
    const recvWindow = Number(header(req, 'x-bapi-recv-window') || 5000);
    if (!(Math.abs(Date.now() - Number(timestamp)) <= recvWindow)) {
      return reject(10002, `invalid request, please check your server timestamp or recv_window param. req_timestamp[${timestamp}],server_timestamp[${Date.now()}],recv_window[${recvWindow}]`);
    }
    const origin = timestamp + key + header(req, 'x-bapi-recv-window') + (req.method === 'GET' ? req.rawQuery : req.body);
    const expected = createHmac('sha256', credentials.apiSecret).update(origin).digest('hex');
    // Bybit echoes the signed string, API key included, in this error: adapters must redact it.
    return header(req, 'x-bapi-sign') === expected ? undefined : reject(10004, `error sign! origin_string[${origin}]`, 401);
  }

  const server = await startProtocolServer({
    authenticate,
    rateLimited: reject(10006, 'Too many visits!', 429),
    routes: {
      [`GET ${prefix}/account/wallet-balance`]: {
        signed: true,
        handle: () => ({ status: 200, body: wallet() }),
      },
      [`GET ${prefix}/asset/transfer/query-inter-transfer-list`]: {
        signed: true,
        handle: (req) => {
          const start = Number(req.query.get('startTime') ?? 0);
          const end = Number(req.query.get('endTime') ?? Infinity);
          const status = req.query.get('status');
          const list = transfers.filter(
            (t) => Number(t.timestamp) >= start && Number(t.timestamp) <= end && (status === null || t.status === status),
          );
          return { status: 200, body: { retCode: 0, retMsg: 'success', result: { list, nextPageCursor: '' }, retExtInfo: {}, time: Date.now() } };
        },
      },
    },
  });
  return Object.assign(server, { transfers });
}
