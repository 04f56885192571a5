import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A user job module for multi-process tests: every execution appends
 * `<job> <scheduled ms> <attempt> <pid>` to a shared file, so "executed exactly
 * once" is checked outside the ledger that enforces it. `run` returns at once;
 * `slow` holds for 2.5 s unless aborted.
 */
export function writeMarkModule(dir: string): string {
  const log = join(dir, 'executions.log');
  writeFileSync(log, '');
  writeFileSync(
    join(dir, 'mark.mjs'),
    `import { appendFileSync } from 'node:fs';
const log = (ctx) => appendFileSync(${JSON.stringify(log)}, ctx.jobId + ' ' + ctx.scheduledAt.getTime() + ' ' + ctx.attempt + ' ' + process.pid + '\\n');
export async function run(ctx) { log(ctx); }
export async function slow(ctx) {
  log(ctx);
  await new Promise((resolve, reject) => { const t = setTimeout(resolve, 2500); ctx.signal.addEventListener('abort', () => { clearTimeout(t); reject(ctx.signal.reason); }); });
}
`,
  );
  return log;
}

export interface Execution {
  readonly job: string;
  readonly scheduledAt: number;
  readonly attempt: number;
  readonly pid: number;
}

export function readExecutions(log: string): Execution[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [job, t, attempt, pid] = line.split(' ');
      return { job: job!, scheduledAt: Number(t), attempt: Number(attempt), pid: Number(pid) };
    });
}

/** (job, scheduled time, attempt) keys executed more than once. */
export function duplicatedExecutions(executions: readonly Execution[]): string[] {
  const seen = new Map<string, number>();
  for (const e of executions) {
    const key = `${e.job} ${e.scheduledAt} ${e.attempt}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen.entries()].filter(([, n]) => n > 1).map(([key]) => key);
}
