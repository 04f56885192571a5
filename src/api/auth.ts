import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export interface AuthPolicy {
  /** Accepted bearer tokens; empty means no authentication (loopback only, enforced at start-up). */
  readonly tokens: readonly string[];
  /** Reads and the WebSocket also need a token. */
  readonly authReads: boolean;
}

/** Throws 401 (no token) or 403 (a token that is not ours) unless the policy lets the request through. */
export type Authenticate = (request: FastifyRequest, mutating: boolean) => void;

/**
 * Compares in constant time: tokens are hashed first so neither their length
 * nor their content leaks through timing, and every configured token is
 * compared whatever the outcome of the others.
 */
export function createAuthenticator(policy: AuthPolicy): Authenticate {
  const digests = policy.tokens.map(digest);
  return (request, mutating) => {
    if (digests.length === 0 || (!mutating && !policy.authReads)) return;
    const token = bearerToken(request);
    if (token === null) throw new ApiError(401, 'unauthorized', 'missing API token: send Authorization: Bearer <token>');
    const presented = digest(token);
    let ok = false;
    for (const d of digests) ok = timingSafeEqual(d, presented) || ok;
    if (!ok) throw new ApiError(403, 'forbidden', 'the API token is not valid');
  };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match ? match[1]!.trim() : null;
  }
  // Browsers cannot set headers on a WebSocket: accept the token as a query parameter there only.
  if (request.headers.upgrade?.toLowerCase() === 'websocket') {
    return new URL(request.url, 'http://localhost').searchParams.get('token');
  }
  return null;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
