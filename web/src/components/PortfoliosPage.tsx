import { useState } from 'preact/hooks';
import { api, query } from '../api.js';
import { fmtNumber, fmtAgo, fmtPercent, fmtTime, fmtUsd } from '../format.js';
import { href, useLoad, useNow } from '../hooks.js';
import { useLive } from '../live.js';
import type { Performance, Portfolio } from '../types.js';
import { DRAWDOWN_SERIES, PerfChart, VALUE_SERIES } from './PerfChart.js';
import { ErrorNote, Loading, NumericHead, Section, Stat } from './ui.js';

export interface ChartKey {
  readonly kind: 'portfolio' | 'master';
  readonly key: string;
}

const HOUR_MS = 3_600_000;
const RANGES: readonly { label: string; ms: number | null }[] = [
  { label: '1h', ms: HOUR_MS },
  { label: '24h', ms: 24 * HOUR_MS },
  { label: '7d', ms: 7 * 24 * HOUR_MS },
  { label: '30d', ms: 30 * 24 * HOUR_MS },
  { label: 'all', ms: null },
];

export function PortfoliosPage({ selected }: { selected: ChartKey | undefined }) {
  const { status } = useLive();
  const zone = status?.timezone ?? 'UTC';
  const list = useLoad(() => api<{ portfolios: Portfolio[] }>('/warehouse/portfolios'), 'portfolios', 15_000);
  const portfolios = list.data?.portfolios;
  const current = selected ?? (portfolios?.[0] ? { kind: 'portfolio' as const, key: portfolios[0].portfolio } : undefined);
  return (
    <div class="stack">
      <Section title="Portfolios">
        <ErrorNote error={list.error} />
        {!portfolios ? <Loading what="portfolios" /> : <PortfolioTable portfolios={portfolios} zone={zone} selected={current} />}
      </Section>
      {portfolios && current && (
        <>
          <ChartCard portfolios={portfolios} selected={current} zone={zone} />
          <BalancesCard portfolios={portfolios} selected={current} />
        </>
      )}
    </div>
  );
}

function PortfolioTable({ portfolios, zone, selected }: { portfolios: readonly Portfolio[]; zone: string; selected: ChartKey | undefined }) {
  const now = useNow(5000);
  if (!portfolios.length) return <p class="muted">No portfolio in the warehouse yet.</p>;
  return (
    <div class="table-wrap">
      <table aria-label="Portfolios">
        <thead>
          <tr>
            <th scope="col">Portfolio</th>
            <th scope="col">Exchange</th>
            <th scope="col">Master / composite</th>
            <th scope="col" class="num">
              Latest value
            </th>
            <th scope="col" class="num">
              Threshold
            </th>
            <th scope="col">Snapshot</th>
          </tr>
        </thead>
        <tbody>
          {portfolios.map((p) => {
            const below = p.position_threshold !== null && p.latest !== null && p.latest.total_usd_value < p.position_threshold;
            const isSelected = selected?.kind === 'portfolio' && selected.key === p.portfolio;
            return (
              <tr key={p.portfolio} class={isSelected ? 'selected' : undefined}>
                <td data-label="Portfolio">
                  <a href={href('portfolios', 'portfolio', p.portfolio)} aria-current={isSelected ? 'true' : undefined}>
                    {p.portfolio}
                  </a>
                  {p.status !== 'active' && <span class="muted small"> ({p.status})</span>}
                </td>
                <td data-label="Exchange">{p.exchange}</td>
                <td data-label="Master / composite">
                  {p.master_portfolio ? <a href={href('portfolios', 'master', p.master_portfolio)}>{p.master_portfolio}</a> : '—'}
                  {p.composite && (
                    <>
                      {' / '}
                      <a href={href('portfolios', 'master', p.composite)}>{p.composite}</a>
                    </>
                  )}
                </td>
                <td data-label="Latest value" class={`num ${below ? 'bad-text' : ''}`}>
                  {fmtUsd(p.latest?.total_usd_value)}
                  {below && <div class="small">below threshold</div>}
                </td>
                <td data-label="Threshold" class="num">
                  {fmtUsd(p.position_threshold)}
                </td>
                <td data-label="Snapshot">
                  <span title={fmtTime(p.latest?.current_time, zone)}>{fmtAgo(p.latest?.current_time, now)}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Master portfolios and composites, named by the portfolios that belong to them. */
function masterKeys(portfolios: readonly Portfolio[]): string[] {
  return [...new Set(portfolios.flatMap((p) => [p.master_portfolio, p.composite]).filter((k): k is string => !!k))].sort();
}

function ChartCard({ portfolios, selected, zone }: { portfolios: readonly Portfolio[]; selected: ChartKey; zone: string }) {
  const [range, setRange] = useState('24h');
  const span = RANGES.find((r) => r.label === range)!.ms;
  const load = (): Promise<Performance> => {
    const to = new Date();
    return api<Performance>(
      `/warehouse/performance${query({ kind: selected.kind, key: selected.key, to: to.toISOString(), from: span === null ? undefined : new Date(to.getTime() - span).toISOString(), points: 600 })}`,
    );
  };
  const perf = useLoad(load, `${selected.kind}|${selected.key}|${range}`, 30_000);
  const points = perf.data?.points ?? [];
  const last = points[points.length - 1];
  return (
    <Section
      title={`Performance of ${selected.key}`}
      id="performance"
      actions={
        <>
          <label class="inline">
            Chart
            <select
              value={`${selected.kind}/${selected.key}`}
              onChange={(e) => {
                const [kind = 'portfolio', ...key] = e.currentTarget.value.split('/');
                location.hash = href('portfolios', kind, key.join('/'));
              }}
            >
              <optgroup label="Portfolios">
                {portfolios.map((p) => (
                  <option key={p.portfolio} value={`portfolio/${p.portfolio}`}>
                    {p.portfolio}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Master portfolios and composites">
                {masterKeys(portfolios).map((k) => (
                  <option key={k} value={`master/${k}`}>
                    {k}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <div class="segmented" role="radiogroup" aria-label="Range">
            {RANGES.map((r) => (
              <button key={r.label} type="button" role="radio" aria-checked={range === r.label} onClick={() => setRange(r.label)}>
                {r.label}
              </button>
            ))}
          </div>
        </>
      }
    >
      <ErrorNote error={perf.error} />
      {!perf.data ? (
        <Loading what="performance" />
      ) : points.length === 0 ? (
        <p class="muted">No performance rows in this range yet: the marts write one per snapshot.</p>
      ) : (
        <>
          <div class="stats">
            <Stat label="Value" value={fmtUsd(last?.total_usd_value)} />
            <Stat label="NAV" value={last ? fmtNumber(last.nav, 2) : '—'} />
            <Stat label="Return" value={fmtPercent(last?.crr)} />
            <Stat label="Drawdown / max" value={`${fmtPercent(last?.cd)} / ${fmtPercent(last?.mdd)}`} />
          </div>
          <PerfChart points={points} series={VALUE_SERIES} title="Value and NAV" zone={zone} />
          <PerfChart points={points} series={DRAWDOWN_SERIES} title="Drawdown" zone={zone} />
          <p class="muted small">
            {points.length} points from {perf.data.rows} rows (downsampled on the server, peaks and troughs kept).
          </p>
        </>
      )}
    </Section>
  );
}

/** Latest balances per asset: the portfolio's own, or summed over a master's or composite's members. */
function BalancesCard({ portfolios, selected }: { portfolios: readonly Portfolio[]; selected: ChartKey }) {
  const members = portfolios.filter((p) => (selected.kind === 'portfolio' ? p.portfolio === selected.key : p.master_portfolio === selected.key || p.composite === selected.key));
  const totals = new Map<string, { total: number; available: number; notional: number; liability: number; interest: number }>();
  for (const p of members) {
    for (const [asset, b] of Object.entries(p.latest?.balances ?? {})) {
      const sum = totals.get(asset) ?? { total: 0, available: 0, notional: 0, liability: 0, interest: 0 };
      totals.set(asset, { total: sum.total + b.total, available: sum.available + b.available, notional: sum.notional + b.notional, liability: sum.liability + b.liability, interest: sum.interest + b.interest });
    }
  }
  const rows = [...totals].sort((a, b) => b[1].notional - a[1].notional);
  return (
    <Section title={`Latest balances of ${selected.key}`} id="balances">
      {selected.kind === 'master' && <p class="muted small">Summed over {members.length} member portfolios.</p>}
      {rows.length === 0 ? (
        <p class="muted">No snapshot yet.</p>
      ) : (
        <div class="table-wrap">
          <table aria-label="Balances">
            <NumericHead first="Asset" columns={['Total', 'Available', 'Notional (USD)', 'Liability', 'Interest']} />
            <tbody>
              {rows.map(([asset, b]) => (
                <tr key={asset}>
                  <th scope="row">{asset}</th>
                  <td class="num">{fmtNumber(b.total)}</td>
                  <td class="num">{fmtNumber(b.available)}</td>
                  <td class="num">{fmtUsd(b.notional)}</td>
                  <td class="num">{fmtNumber(b.liability)}</td>
                  <td class="num">{fmtNumber(b.interest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
