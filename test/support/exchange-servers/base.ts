import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it; tests assert on these to pin what an adapter sends. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Query string exactly as sent, without `?`; signatures are computed over it. */
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface Reply {
  readonly status: number;
  /** Serialised as JSON unless it is already a string. */
  readonly body: unknown;
}

export interface ExchangeProtocol {
  /** Routes keyed `METHOD /path`; `signed` routes go through `authenticate` first. */
  readonly routes: Readonly<Record<string, { signed: boolean; handle: (req: ReceivedRequest) => Reply }>>;
  /** The exchange's own rejection for a bad key/secret/passphrase/timestamp/signature, or undefined. */
  authenticate(req: ReceivedRequest): Reply | undefined;
  /** What the exchange answers when throttling. */
  readonly rateLimited: Reply;
}

/** Faults applied to the next requests, in order, one request each. */
export type Fault =
  | { readonly kind: 'rate_limit' }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'malformed' };

export interface ProtocolServer {
  readonly baseUrl: string;
  readonly requests: ReceivedRequest[];
  /** Queues faults for the next requests. */
  inject(...faults: Fault[]): void;
  close(): Promise<void>;
}

/** A body cut off mid-stream, as a proxy or a crashing backend would send it. */
const MALFORMED = '{"code":"0","data":[{"ccy":"BTC","eq":"1.2';

export async function startProtocolServer(protocol: ExchangeProtocol): Promise<ProtocolServer> {
  const requests: ReceivedRequest[] = [];
  const faults: Fault[] = [];

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (c: Buffer) => chunks.push(c));
    incoming.on('end', () => {
      const url = incoming.url ?? '/';
      const q = url.indexOf('?');
      const rawQuery = q === -1 ? '' : url.slice(q + 1);
      const req: ReceivedRequest = {
        method: incoming.method ?? 'GET',
        path: q === -1 ? url : url.slice(0, q),
        rawQuery,
        query: new URLSearchParams(rawQuery),
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(req);
      void answer(req, faults.shift(), response);
    });
  });

  async function answer(req: ReceivedRequest, fault: Fault | undefined, response: ServerResponse): Promise<void> {
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (response.destroyed) return;
    if (fault?.kind === 'rate_limit') return send(response, protocol.rateLimited);
    if (fault?.kind === 'malformed') return send(response, { status: 200, body: MALFORMED });
    const route = protocol.routes[`${req.method} ${req.path}`];
    if (route === undefined) return send(response, { status: 404, body: { error: `no route ${req.method} ${req.path}` } });
    const rejection = route.signed ? protocol.authenticate(req) : undefined;
    send(response, rejection ?? route.handle(req));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    inject: (...more) => faults.push(...more),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(response: ServerResponse, reply: Reply): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(text);
}

/** A header's single value ('' when absent). */
export function header(req: ReceivedRequest, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

/** The query string without its trailing `signature=` parameter: what Binance and BingX sign. */
export function queryWithoutSignature(rawQuery: string): { signed: string; signature: string } {
  const at = rawQuery.lastIndexOf('signature=');
  if (at === -1) return { signed: rawQuery, signature: '' };
  return { signed: rawQuery.slice(0, Math.max(0, at - 1)), signature: rawQuery.slice(at + 'signature='.length) };
}
