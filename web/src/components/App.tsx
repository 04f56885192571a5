import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { href, useHashRoute } from '../hooks.js';
import { LiveContext, useLive, useLiveScheduler } from '../live.js';
import type { SchedulerStatus } from '../types.js';
import { JobDetail } from './JobDetail.js';
import { JobsPage } from './JobsPage.js';
import { Overview } from './Overview.js';
import { PortfoliosPage } from './PortfoliosPage.js';
import { TokenForm } from './TokenForm.js';

type Gate = { state: 'checking' } | { state: 'open' } | { state: 'refused'; reason: string } | { state: 'down'; reason: string };

/**
 * Checks the token against a read before showing anything: with
 * KAIROS_AUTH_READS a missing or wrong token is asked for again, with the
 * API's reason. Changing the token remounts the shell, so the WebSocket
 * reconnects with it.
 */
export function App() {
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  const [session, setSession] = useState(0);
  const [askToken, setAskToken] = useState(false);

  useEffect(() => {
    setGate({ state: 'checking' });
    api<SchedulerStatus>('/scheduler/status').then(
      () => setGate({ state: 'open' }),
      (e: unknown) => {
        const reason = e instanceof Error ? e.message : String(e);
        setGate(e instanceof ApiError && e.isAuth ? { state: 'refused', reason } : { state: 'down', reason });
      },
    );
  }, [session]);

  const renew = (): void => {
    setAskToken(false);
    setSession((n) => n + 1);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href()}>
          Kairos
        </a>
        <Nav />
        <button type="button" class="token-button" onClick={() => setAskToken(true)}>
          API token
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {askToken || gate.state === 'refused' ? (
          <TokenForm reason={gate.state === 'refused' ? gate.reason : undefined} onDone={renew} {...(gate.state === 'open' ? { onCancel: () => setAskToken(false) } : {})} />
        ) : gate.state === 'checking' ? (
          <p class="muted">Connecting…</p>
        ) : gate.state === 'down' ? (
          <div class="error-note" role="alert">
            {gate.reason}{' '}
            <button type="button" onClick={renew}>
              Retry
            </button>
          </div>
        ) : (
          <Shell key={session} />
        )}
      </main>
    </>
  );
}

function Nav() {
  const [page = 'overview'] = useHashRoute();
  const links: [string, string, string][] = [
    ['overview', 'Overview', href()],
    ['jobs', 'Jobs', href('jobs')],
    ['portfolios', 'Portfolios', href('portfolios')],
  ];
  return (
    <nav aria-label="Main">
      {links.map(([id, label, to]) => (
        <a key={id} href={to} aria-current={page === id ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

function Shell() {
  const live = useLiveScheduler();
  return (
    <LiveContext.Provider value={live}>
      <ConnectionBanner />
      <Page />
    </LiveContext.Provider>
  );
}

function ConnectionBanner() {
  const { connection } = useLive();
  if (connection === 'live') return null;
  return (
    <p class="banner" role="status">
      {connection === 'connecting' ? 'Connecting to live updates…' : 'Live updates lost: reconnecting…'}
    </p>
  );
}

function Page() {
  const [page = 'overview', ...rest] = useHashRoute();
  useEffect(() => document.getElementById('main')?.focus({ preventScroll: true }), [page, rest[0]]);
  if (page === 'jobs' && rest[0]) return <JobDetail jobId={rest[0]} />;
  if (page === 'jobs') return <JobsPage />;
  if (page === 'portfolios') return <PortfoliosPage selected={rest[0] && rest[1] ? { kind: rest[0] === 'master' ? 'master' : 'portfolio', key: rest[1] } : undefined} />;
  return <Overview />;
}
