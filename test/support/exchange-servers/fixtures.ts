import { readFileSync } from 'node:fs';

interface FixtureFile {
  readonly cases: ReadonlyArray<{ method: string; variant: string; response: unknown }>;
}

/**
 * A recorded response body (see fixtures/README.md: bodies recorded by ccxt
 * from the real exchanges). Returned as a fresh copy so servers may edit it.
 */
export function recordedBody(exchange: string, method: string, variant: string): unknown {
  const file = JSON.parse(readFileSync(new URL(`./fixtures/${exchange}.json`, import.meta.url), 'utf8')) as FixtureFile;
  const found = file.cases.find((c) => c.method === method && c.variant === variant);
  if (found === undefined) throw new Error(`no ${exchange} fixture ${method}/${variant}`);
  return structuredClone(found.response);
}

/** Credentials the protocol servers accept; tests derive wrong ones from them. */
export interface ServerCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly password?: string;
  readonly memo?: string;
}
