import { createInterface } from 'node:readline';

/**
 * Entry of a Node contender process: `child-main.mjs <module under bench/> <workload> <json params>`.
 * The peer module's workload function gets the params and a `ready(info)` that
 * announces readiness and resolves, with what the harness measured meanwhile
 * (e.g. the measurement window), when the harness asks for the report.
 */
const [modulePath, workload, payload] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function ready(info = {}) {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
  for (;;) {
    const { value, done } = await lines.next();
    if (done) return {};
    if (value.startsWith('report')) return JSON.parse(value.slice(6).trim() || '{}');
  }
}

let result;
try {
  const { workloads } = await import(new URL(`../${modulePath}`, import.meta.url).href);
  const run = workloads[workload];
  if (!run) throw new Error(`${modulePath} does not implement ${workload}`);
  result = await run(JSON.parse(payload), { ready });
} catch (error) {
  result = { error: error instanceof Error ? error.stack ?? error.message : String(error) };
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
// Wait until the harness has read our peak RSS, then leave even if a client library keeps handles open.
for (;;) {
  const { done } = await lines.next();
  if (done) break;
}
process.exit(0);
