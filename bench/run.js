import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { postgresReachable } from './lib/databases.mjs';
import { ensureAptPeers, ensureNpmPeers } from './lib/peers-install.mjs';
import { etlRefillSection, markdown, summarize } from './lib/report.mjs';
import { PEERS } from './peers/index.mjs';
import { w1 } from './workloads/w1-lateness.mjs';
import { w2 } from './workloads/w2-throughput.mjs';
import { w3 } from './workloads/w3-scale.mjs';
import { w4 } from './workloads/w4-api.mjs';
import { w5 } from './workloads/w5-websocket.mjs';

/**
 * `npm run bench` (quick), `npm run bench -- --full`, or `--smoke` (tiny, Kairos
 * on SQLite and croner only, for the harness test). Options: `--only w1,w3`,
 * `--peers kairos:sqlite,croner` (a peer, or peer:storage), `--reps N`, `--out DIR` (where RESULTS.md and
 * results/ go; default bench/), `--profile` (Kairos children run with
 * `--cpu-prof`, profiles in bench/profiles/).
 */
const BENCH = fileURLToPath(new URL('.', import.meta.url));
const { values: args } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    peers: { type: 'string' },
    reps: { type: 'string' },
    out: { type: 'string', default: BENCH },
    profile: { type: 'boolean', default: false },
  },
});
const mode = args.smoke ? 'smoke' : args.full ? 'full' : 'quick';
const reps = Number(args.reps ?? (mode === 'smoke' ? 1 : 3));
const out = resolve(args.out);
const WORKLOADS = [w1, w2, w3, w4, w5].filter((w) => !args.only || args.only.split(',').includes(w.id));

if (!existsSync(join(BENCH, '../dist/app/kairos.js'))) throw new Error('dist/ is missing: run `npm run build` first');
const available = await availability();
const runs = [];
const started = new Date();
const stamp = started.toISOString().replace(/[:.]/g, '-');
const meta = { mode, reps, date: started.toISOString(), commit: gitCommit(), machine: machine(), versions: versions(), args };

for (const workload of WORKLOADS) {
  const contenders = workload.contenders
    .filter((c) => mode === 'full' || (mode === 'quick' ? c.quick : c.peer === 'croner' || (c.peer === 'kairos' && c.storage === 'sqlite')))
    .filter((c) => (!args.peers || args.peers.split(',').some((p) => p === c.peer || p === `${c.peer}:${c.storage}`)) && available(c))
    .map((c) => ({ ...c, label: labelOf(c), nodeArgs: args.profile && c.peer === 'kairos' ? profileArgs(`${workload.id}-${c.storage}`) : [] }));
  for (const size of workload.sizes(mode)) {
    const prepared = new Map();
    for (const c of contenders) {
      if (workload.prepare) prepared.set(c, await attempt(() => workload.prepare(c, size, mode, tagOf(workload, c, 'p'))));
    }
    // Alternating order (A B C, A B C, ...) spreads slow drifts of the machine over every contender.
    for (let rep = 1; rep <= reps; rep++) {
      for (const c of contenders) {
        const storage = prepared.get(c);
        const record = { workload: workload.id, size, contender: c.label, rep };
        if (storage?.error) Object.assign(record, { error: storage.error });
        else {
          const outcome = await attempt(() => workload.run(c, size, mode, tagOf(workload, c, `r${rep}`), storage?.value));
          Object.assign(record, outcome.error ? { error: outcome.error } : { metrics: outcome.value });
        }
        runs.push(record);
        console.error(`${workload.id} ${JSON.stringify(size)} ${c.label} #${rep}: ${record.error ? `FAILED ${record.error.split('\n')[0]}` : JSON.stringify(record.metrics)}`);
      }
    }
    for (const storage of prepared.values()) await storage.value?.close();
  }
  // Written after every workload, so an interrupted run keeps what it measured.
  writeOutputs(WORKLOADS.slice(0, WORKLOADS.indexOf(workload) + 1));
}

console.log(JSON.stringify({ mode, results: join(out, 'RESULTS.md'), runs: runs.length, failed: runs.filter((r) => r.error).length }));

function writeOutputs(done) {
  const summary = summarize(done, runs);
  mkdirSync(join(out, 'results'), { recursive: true });
  writeFileSync(join(out, 'results', `${stamp}-${mode}.json`), `${JSON.stringify({ meta, summary, runs }, null, 1)}\n`);
  writeFileSync(join(out, 'RESULTS.md'), [markdown({ summary, meta }), etlRefillSection(join(BENCH, 'results'))].filter(Boolean).join('\n'));
}

async function attempt(fn) {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function labelOf(c) {
  return `${c.peer} (${c.storage}${c.instances ? ` ×${c.instances}` : ''})`;
}

function tagOf(workload, c, suffix) {
  return `${workload.id}_${c.peer}_${c.storage}${c.instances ?? ''}_${suffix}`.replace(/[^a-z0-9]+/gi, '_').toLowerCase();
}

function profileArgs(name) {
  return ['--cpu-prof', '--cpu-prof-dir', join(BENCH, 'profiles', name)];
}

/** Installs what the selected contenders need and decides which can run here. */
async function availability() {
  if (mode !== 'smoke') ensureNpmPeers();
  else ensureNpmPeers(['croner']);
  const python = mode === 'smoke' ? false : ensureAptPeers();
  const postgres = mode === 'smoke' ? false : await postgresReachable();
  const redis = mode === 'smoke' ? false : redisReachable();
  const postgresStore = existsSync(join(BENCH, '../dist/scheduler/stores/postgres'));
  if (mode !== 'smoke') console.error(`available: python ${python}, postgres ${postgres} (Kairos store: ${postgresStore}), redis ${redis}`);
  return (c) =>
    (c.peer !== 'apscheduler' || python) &&
    (c.storage !== 'postgres' || (postgres && (c.peer !== 'kairos' || postgresStore))) &&
    (c.storage !== 'redis' || redis);
}

function redisReachable() {
  try {
    execFileSync(process.execPath, ['-e', "require('net').connect(6379,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"], { timeout: 3000 });
    return true;
  } catch {
    return false;
  }
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: BENCH, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function machine() {
  return { cpu: cpus()[0]?.model.trim(), cores: cpus().length, memGb: Math.round(totalmem() / 2 ** 30), kernel: release(), load: loadavg().map((l) => l.toFixed(2)).join(' ') };
}

function versions() {
  const v = { node: process.version.slice(1) };
  for (const peer of Object.values(PEERS)) if (peer.name !== 'ws-clients') v[peer.name] = peer.version();
  try {
    v.postgresql = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-tAc', 'SHOW server_version'], { encoding: 'utf8' }).trim();
  } catch {
    v.postgresql = null;
  }
  try {
    v.redis = /redis_version:(\S+)/.exec(execFileSync('redis-cli', ['-h', '127.0.0.1', 'INFO', 'server'], { encoding: 'utf8' }))?.[1] ?? null;
  } catch {
    v.redis = null;
  }
  return v;
}
