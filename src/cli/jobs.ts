import { parseArgs } from 'node:util';
import { CliError, type Command } from './command.js';

const ACTIONS = ['list', 'show', 'trigger', 'pause', 'resume', 'runs', 'preview'] as const;
type Action = (typeof ACTIONS)[number];

/**
 * `kairos jobs ...`: talks to a running instance's API (`--url`, default from
 * HOST/PORT; `--token` or KAIROS_API_TOKEN) and prints its JSON answer.
 */
export const jobsCommand: Command = async (args) => {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, overrides: { type: 'string' }, limit: { type: 'string' }, count: { type: 'string' } },
  });
  const [action, id] = positionals as [string | undefined, string | undefined];
  if (!action || !(ACTIONS as readonly string[]).includes(action)) {
    throw new CliError(`usage: kairos jobs ${ACTIONS.join('|')} [ID] [--url URL] [--token TOKEN] [--overrides JSON] [--limit N] [--count N]`);
  }
  if (action !== 'list' && !id) throw new CliError(`kairos jobs ${action} needs a job id`);
  const base = (values.url ?? `http://${hostForClient(process.env['HOST'])}:${process.env['PORT'] || '8000'}`).replace(/\/$/, '');
  const token = values.token ?? process.env['KAIROS_API_TOKEN']?.split(',')[0]?.trim();
  const request = requestFor(action as Action, id ?? '', values);
  let response: Response;
  try {
    response = await fetch(base + request.path, {
      method: request.method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(request.body ? { 'content-type': 'application/json' } : {}) },
      body: request.body,
    });
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message} (is kairos serve running? use --url)`);
  }
  const text = await response.text();
  if (!response.ok) throw new CliError(`${response.status}: ${text}`);
  process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  return 0;
};

function requestFor(action: Action, id: string, options: { overrides?: string; limit?: string; count?: string }): { method: string; path: string; body?: string } {
  const { overrides, limit, count } = options;
  const job = `/scheduler/jobs/${encodeURIComponent(id)}`;
  switch (action) {
    case 'list':
      return { method: 'GET', path: '/scheduler/jobs' };
    case 'show':
      return { method: 'GET', path: job };
    case 'runs':
      return { method: 'GET', path: `${job}/runs?limit=${encodeURIComponent(limit ?? '20')}` };
    case 'preview':
      return { method: 'GET', path: `${job}/preview?count=${encodeURIComponent(count ?? '10')}` };
    case 'pause':
    case 'resume':
      return { method: 'POST', path: `${job}/${action}` };
    case 'trigger': {
      if (overrides === undefined) return { method: 'POST', path: `${job}/trigger` };
      let kwargs: unknown;
      try {
        kwargs = JSON.parse(overrides);
      } catch (error) {
        throw new CliError(`--overrides is not valid JSON: ${(error as Error).message}`);
      }
      return { method: 'POST', path: `${job}/trigger`, body: JSON.stringify({ overrides: { kwargs } }) };
    }
  }
}

function hostForClient(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
