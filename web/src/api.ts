/**
 * Talks to the Kairos API on the page's own origin. The token is entered once
 * per tab and kept in sessionStorage (gone when the tab closes); it is sent as
 * a Bearer header, and as `?token=` on the WebSocket, which cannot carry headers.
 */
const TOKEN_KEY = 'kairos.token';

export function storedToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function storeToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** An error answer of the API (`{error, message, details?}`) or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly FieldError[] = [],
  ) {
    super(message);
  }

  get isAuth(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** Paths are relative to the page, so the dashboard also works behind a path prefix. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = storedToken();
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path.replace(/^\//, ''), {
      method: init.method ?? 'GET',
      headers,
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network', 'Kairos is not answering: is it running?');
  }
  const body: unknown = response.headers.get('content-type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = (body ?? {}) as { error?: string; message?: string; details?: FieldError[] };
    throw new ApiError(response.status, error.error ?? 'http_error', error.message ?? `HTTP ${response.status}`, error.details ?? []);
  }
  return body as T;
}

export const post = <T>(path: string, body?: unknown): Promise<T> => api<T>(path, { method: 'POST', body });

/** Query string of the defined values; arrays repeat the parameter. */
export function query(params: Record<string, string | number | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) search.append(name, String(v));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function socketUrl(path: string): string {
  const url = new URL(path.replace(/^\//, ''), location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  const token = storedToken();
  if (token) url.searchParams.set('token', token);
  return url.toString();
}
