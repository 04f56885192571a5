import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A local HTTP server speaking Discord's webhook protocol
 * (POST /api/webhooks/{id}/{token}[?wait=&thread_id=]), validating bodies as
 * Discord does, with scriptable rate limits, server errors and slow responses.
 */

export interface ReceivedPost {
  webhookId: string;
  threadId: string | null;
  wait: boolean;
  body: Record<string, unknown>;
  content: string;
}

/** What the next request gets instead of (or before) normal handling; consumed in order. */
export type ScriptedResponse =
  | { kind: 'rate-limit'; retryAfterSec: number; via: 'body' | 'header'; global?: boolean }
  | { kind: 'server-error'; status?: number }
  | { kind: 'delay'; ms: number };

export interface Rejection {
  status: number;
  body: unknown;
}

const CONTENT_LIMIT = 2000;
const MENTION_TYPES = new Set(['roles', 'users', 'everyone']);

export class DiscordTestServer {
  /** Posts Discord accepted, in arrival order. */
  readonly posts: ReceivedPost[] = [];
  /** 4xx answers given for invalid requests (not scripted ones). */
  readonly rejections: Rejection[] = [];
  /** Every request, answered or not. */
  requestCount = 0;
  private readonly script: ScriptedResponse[] = [];
  private readonly webhooks = new Map<string, string>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<DiscordTestServer> {
    const server = createServer();
    const instance = new DiscordTestServer(server);
    server.on('request', (req, res) => void instance.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return instance;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Registers a webhook and returns its URL (which contains its secret token). */
  createWebhook(): { id: string; token: string; url: string } {
    const id = String(100000000000000000n + BigInt(this.webhooks.size + 1));
    const token = randomBytes(24).toString('base64url');
    this.webhooks.set(id, token);
    return { id, token, url: `${this.origin}/api/webhooks/${id}/${token}` };
  }

  /** Queues behaviours for the next requests, one per request. */
  enqueue(...responses: ScriptedResponse[]): void {
    this.script.push(...responses);
  }

  /** Resolves when at least `count` posts were accepted. */
  waitForPosts(count: number): Promise<void> {
    if (this.posts.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.requestCount++;
    const raw = await readBody(req);
    const scripted = this.script.shift();
    if (scripted?.kind === 'delay') {
      await new Promise((resolve) => setTimeout(resolve, scripted.ms));
      if (res.destroyed) return;
    } else if (scripted?.kind === 'rate-limit') {
      return this.rateLimit(res, scripted);
    } else if (scripted?.kind === 'server-error') {
      return json(res, scripted.status ?? 500, { message: '500: Internal Server Error', code: 0 });
    }
    this.accept(req, res, raw);
  }

  private rateLimit(res: ServerResponse, r: Extract<ScriptedResponse, { kind: 'rate-limit' }>): void {
    const headers: Record<string, string> = { 'x-ratelimit-scope': r.global ? 'global' : 'user' };
    if (r.global) headers['x-ratelimit-global'] = 'true';
    const body: Record<string, unknown> = { message: 'You are being rate limited.', global: r.global ?? false };
    if (r.via === 'body') body['retry_after'] = r.retryAfterSec;
    else headers['retry-after'] = String(r.retryAfterSec);
    json(res, 429, body, headers);
  }

  private accept(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.origin);
    const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)$/.exec(url.pathname);
    if (req.method !== 'POST') return this.reject(res, 405, { message: '405: Method Not Allowed', code: 0 });
    if (!match) return this.reject(res, 404, { message: '404: Not Found', code: 0 });
    const [, id, token] = match as unknown as [string, string, string];
    if (!this.webhooks.has(id)) return this.reject(res, 404, { message: 'Unknown Webhook', code: 10015 });
    if (this.webhooks.get(id) !== token) return this.reject(res, 401, { message: 'Invalid Webhook Token', code: 50027 });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return this.reject(res, 400, { message: 'Cannot send an empty message', code: 50006 });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return this.reject(res, 400, { message: 'The request body contains invalid JSON.', code: 50109 });
    }
    const threadId = url.searchParams.get('thread_id');
    const formErrors = validateBody(body, threadId);
    if (formErrors) return this.reject(res, 400, { message: 'Invalid Form Body', code: 50035, errors: formErrors });
    const content = body['content'] as string;
    if (content.trim() === '') return this.reject(res, 400, { message: 'Cannot send an empty message', code: 50006 });

    const wait = url.searchParams.get('wait') === 'true';
    this.posts.push({ webhookId: id, threadId, wait, body, content });
    for (const waiter of this.waiters.filter((w) => this.posts.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    if (!wait) {
      res.writeHead(204).end();
      return;
    }
    json(res, 200, {
      id: String(200000000000000000n + BigInt(this.posts.length)),
      type: 0,
      content,
      channel_id: threadId ?? '300000000000000000',
      webhook_id: id,
      timestamp: new Date().toISOString(),
    });
  }

  private reject(res: ServerResponse, status: number, body: unknown): void {
    this.rejections.push({ status, body });
    json(res, status, body);
  }
}

/** Discord's form checks for the fields a webhook post uses; null when valid. */
function validateBody(body: Record<string, unknown>, threadId: string | null): Record<string, unknown> | null {
  const errors: Record<string, unknown> = {};
  const error = (code: string, message: string) => ({ _errors: [{ code, message }] });
  const content = body['content'];
  if (typeof content !== 'string') errors['content'] = error('BASE_TYPE_REQUIRED', 'This field is required');
  // Discord counts characters (code points), not UTF-16 units.
  else if ([...content].length > CONTENT_LIMIT) {
    errors['content'] = error('BASE_TYPE_MAX_LENGTH', `Must be ${CONTENT_LIMIT} or fewer in length.`);
  }
  const mentions = body['allowed_mentions'];
  if (mentions !== undefined) {
    const parse = (mentions as { parse?: unknown } | null)?.parse;
    if (typeof mentions !== 'object' || mentions === null || (parse !== undefined && !Array.isArray(parse))) {
      errors['allowed_mentions'] = error('MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    } else if (Array.isArray(parse) && !parse.every((p) => MENTION_TYPES.has(p as string))) {
      errors['allowed_mentions'] = error('ENUM_TYPE_COERCE', 'Value must be one of {roles, users, everyone}.');
    }
  }
  const username = body['username'];
  if (username !== undefined) {
    if (typeof username !== 'string' || username.length < 1 || username.length > 80) {
      errors['username'] = error('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 80 in length.');
    } else if (/discord|clyde/i.test(username)) {
      errors['username'] = error('USERNAME_INVALID_CONTAINS', 'Username cannot contain "discord"');
    }
  }
  if (body['avatar_url'] !== undefined && typeof body['avatar_url'] !== 'string') {
    errors['avatar_url'] = error('URL_TYPE_INVALID_URL', 'Not a well formed URL.');
  }
  if (threadId !== null && !/^\d{1,20}$/.test(threadId)) {
    errors['thread_id'] = error('NUMBER_TYPE_COERCE', `Value "${threadId}" is not snowflake.`);
  }
  return Object.keys(errors).length > 0 ? errors : null;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
