import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PEERS_DIR = fileURLToPath(new URL('../.peers', import.meta.url));

/**
 * Exact versions, pinned for Node 20. pg-boss 11 declares `engines: node >=22`
 * (every 11.x release), so its last Node 20 line, 10.x, is used; graphile-worker
 * 0.18 needs Node 22, 0.17 does not.
 */
export const NPM_PEERS = { 'pg-boss': '10.4.2', 'graphile-worker': '0.17.3', bullmq: '5.81.5', croner: '9.1.0' };
const APT_PEERS = ['python3-apscheduler', 'python3-sqlalchemy', 'python3-psycopg2'];

const requireFromPeers = createRequire(join(PEERS_DIR, 'noop.js'));

export function peerVersion(name) {
  try {
    return JSON.parse(readFileSync(join(PEERS_DIR, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

/** Imports a peer's module namespace from bench/.peers (never from the project's node_modules). */
export async function importPeer(name) {
  return import(pathToFileURL(requireFromPeers.resolve(name)).href);
}

/** Installs missing or mismatched npm peers into bench/.peers. */
export function ensureNpmPeers(names = Object.keys(NPM_PEERS)) {
  const missing = names.filter((n) => peerVersion(n) !== NPM_PEERS[n]);
  if (!missing.length) return;
  // All at once: `--no-save` installs only what is named, dropping peers installed earlier.
  const specs = Object.entries(NPM_PEERS).map(([n, v]) => `${n}@${v}`);
  console.error(`installing peers into bench/.peers: ${specs.join(' ')}`);
  execFileSync('npm', ['install', '--prefix', PEERS_DIR, '--no-save', '--no-audit', '--no-fund', ...specs], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** Whether /usr/bin/python3 can import APScheduler 3, SQLAlchemy and psycopg2; installs the Debian packages if not. */
export function ensureAptPeers() {
  if (pythonHasPeers()) return true;
  if (!existsSync('/usr/bin/apt-get')) return false;
  console.error(`installing ${APT_PEERS.join(' ')} with apt-get`);
  try {
    execFileSync('apt-get', ['install', '-y', ...APT_PEERS], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', ...APT_PEERS], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return pythonHasPeers();
}

function pythonHasPeers() {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import apscheduler, sqlalchemy, psycopg2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function apschedulerVersion() {
  try {
    return execFileSync('/usr/bin/python3', ['-c', 'import apscheduler; print(apscheduler.__version__)'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
