import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spread } from './stats.mjs';

const fmt = (v) => (v === null || v === undefined ? '–' : Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : Number(v.toPrecision(3)).toString());
const cell = (s) => (s.n === 0 ? '–' : s.n === 1 || s.min === s.max ? fmt(s.median) : `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`);

/** Median and min–max of every metric, per workload, size and contender. */
export function summarize(workloads, runs) {
  return workloads.map((w) => {
    const groups = new Map();
    for (const run of runs.filter((r) => r.workload === w.id)) {
      const key = `${JSON.stringify(run.size)}|${run.contender}`;
      if (!groups.has(key)) groups.set(key, { size: run.size, contender: run.contender, runs: [] });
      groups.get(key).runs.push(run);
    }
    const rows = [...groups.values()].map((g) => ({
      size: g.size,
      contender: g.contender,
      errors: g.runs.filter((r) => r.error).map((r) => r.error.split('\n')[0]),
      metrics: Object.fromEntries(w.metrics.map((m) => [m.key, spread(g.runs.filter((r) => !r.error).map((r) => r.metrics[m.key]))])),
    }));
    return { id: w.id, title: w.title, metrics: w.metrics, headline: w.headline, excluded: w.excluded, rows };
  });
}

/**
 * One markdown table per workload and size: medians with min–max over the
 * repetitions, and each headline metric as a ratio to Kairos on SQLite
 * (>1 means the contender's number is larger).
 */
export function markdown({ summary, meta }) {
  const out = [
    '# Kairos benchmark results',
    '',
    `Mode \`${meta.mode}\`, ${meta.reps} repetitions per contender, run in alternation (A B C … A B C …); cells are medians (min–max).`,
    `Date ${meta.date}; commit ${meta.commit}.`,
    '',
    `Machine: ${meta.machine.cpu} × ${meta.machine.cores}, ${meta.machine.memGb} GB RAM, Linux ${meta.machine.kernel}, load average at start ${meta.machine.load}.`,
    `Versions: ${Object.entries(meta.versions).map(([k, v]) => `${k} ${v ?? 'n/a'}`).join(', ')}.`,
    '',
  ];
  for (const w of summary) {
    out.push(`## ${w.title}`, '');
    const sizes = [...new Set(w.rows.map((r) => JSON.stringify(r.size)))];
    for (const size of sizes) {
      const rows = w.rows.filter((r) => JSON.stringify(r.size) === size);
      const base = rows.find((r) => r.contender === 'kairos (sqlite)');
      out.push(`${Object.entries(JSON.parse(size)).map(([k, v]) => `${k} = ${v.toLocaleString('en-US')}`).join(', ')}`, '');
      const ratioCols = w.headline.map((k) => `${w.metrics.find((m) => m.key === k).label} vs Kairos`);
      out.push(`| contender | ${w.metrics.map((m) => m.label).join(' | ')} | ${ratioCols.join(' | ')} |`);
      out.push(`|${'---|'.repeat(1 + w.metrics.length + ratioCols.length)}`);
      for (const row of rows) {
        const ratios = w.headline.map((k) => {
          const b = base?.metrics[k].median;
          const v = row.metrics[k].median;
          return b && v !== null ? `${fmt(v / b)}×` : '–';
        });
        const failed = row.errors.length ? ` (${row.errors.length} failed)` : '';
        out.push(`| ${row.contender}${failed} | ${w.metrics.map((m) => cell(row.metrics[m.key])).join(' | ')} | ${ratios.join(' | ')} |`);
      }
      out.push('');
    }
    const excluded = Object.entries(w.excluded ?? {});
    if (excluded.length) out.push(`Not run: ${excluded.map(([p, why]) => `${p}: ${why}`).join('; ')}.`, '');
    const errors = w.rows.flatMap((r) => r.errors.map((e) => `${r.contender}: ${e}`));
    if (errors.length) out.push('Failures:', '', ...[...new Set(errors)].map((e) => `- ${e}`), '');
  }
  return out.join('\n');
}

/**
 * The newest refill benchmark (`node bench/etl/refill.mjs`, run on its own: it
 * needs the year of generated summaries) as a section of RESULTS.md, or nothing.
 */
export function etlRefillSection(resultsDir) {
  const newest = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => /^etl-refill-.*\.json$/.test(f)).sort().at(-1) : undefined;
  if (!newest) return '';
  const { meta, table, peakRssMb, rssLimitMb } = JSON.parse(readFileSync(join(resultsDir, newest), 'utf8'));
  const number = (v) => (typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(v) ? 0 : 1 }) : v);
  return [
    '## ETL: refill of the performance marts (`node bench/etl/refill.mjs`)',
    '',
    `${meta.portfolios} portfolios of 1-minute summaries, ${meta.from} to ${meta.to}, PostgreSQL ${meta.postgresql}; date ${meta.date}; commit ${meta.commit}${meta.dirty ? ' (with local changes)' : ''};`,
    `load average ${meta.load.start} at start, ${meta.load.end} at end. Raw figures: \`bench/results/${newest}\`.`,
    '',
    `| ${table[0].join(' | ')} |`,
    `|${'---|'.repeat(table[0].length)}`,
    ...table.slice(1).map((row) => `| ${row.map(number).join(' | ')} |`),
    '',
    `Peak RSS of the refills: ${peakRssMb} MB (limit ${rssLimitMb} MB).`,
    '',
  ].join('\n');
}
