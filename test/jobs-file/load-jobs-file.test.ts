import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JobsFileError, loadJobsFile } from '../../src/jobs-file/load-jobs-file.js';
import { defineJobType } from '../../src/scheduler/job-type.js';
import { JobTypeRegistry } from '../../src/scheduler/job-type-registry.js';
import { ManualClock, sqliteStore, tempDir, testScheduler } from '../support/scheduler.js';

const sample = defineJobType({ name: 'sample', description: 'x', kwargs: z.object({ symbol: z.string(), limit: z.int().default(10) }), async run() {} });

async function load(yaml: string, files: Record<string, string> = {}) {
  const dir = tempDir('jobsfile');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, 'jobs.yaml'), yaml);
  const registry = new JobTypeRegistry().register(sample);
  const { store } = await sqliteStore(dir);
  const scheduler = testScheduler(store, new ManualClock(Date.now()), []);
  try {
    return await loadJobsFile(join(dir, 'jobs.yaml'), registry, (def) => {
      const type = registry.get(def.func)!;
      const parsed = type.kwargsSchema.parse(def.kwargs);
      if (!parsed.ok) throw Object.assign(new Error('bad kwargs'), { details: parsed.issues.map((i) => ({ field: `kwargs.${i.path}`, message: i.message })) });
      void scheduler;
    });
  } finally {
    await store.close();
  }
}

async function problems(yaml: string, files?: Record<string, string>): Promise<readonly string[]> {
  try {
    await load(yaml, files);
  } catch (error) {
    if (error instanceof JobsFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('loadJobsFile', () => {
  it('reads APScheduler keyword style, name:run funcs, the crontab string and every:{} forms', async () => {
    const defs = await load(`jobs:
  - id: a
    func: sample:run
    trigger: cron
    second: "*/10"
    kwargs: { symbol: BTC }
  - id: b
    func: sample
    cron: "*/5 * * * *"
    kwargs: { symbol: ETH }
    max_instances: 2
    coalesce: false
  - id: c
    func: sample
    trigger: interval
    every: { minutes: 5 }
    kwargs: { symbol: SOL }
    retries: 3
    timeout: 2m
`);
    expect(defs.map((d) => [d.id, d.func, d.trigger?.['trigger']])).toEqual([
      ['a', 'sample', 'cron'],
      ['b', 'sample', 'cron'],
      ['c', 'sample', 'interval'],
    ]);
    expect(defs[1]!.options).toMatchObject({ maxInstances: 2, coalesce: false, catchUp: 'all' });
    expect(defs[2]!.options).toMatchObject({ timeout: 120, retries: { max: 3 } });
  });

  it('reports YAML syntax errors with line and column', async () => {
    const found = await problems('jobs:\n  - id: a\n    func: sample\n    second: "*/10\n');
    expect(found[0]).toMatch(/jobs\.yaml:\d+:\d+: Missing closing "quote/);
  });

  it('names job, key and expectation for every schema problem, all at once', async () => {
    const found = await problems(`jobs:
  - id: a
    func: sample
    trigger: cron
    second: "*/70"
    kwargs: { symbol: 5, extra: 1 }
  - id: b
    func: nope:run
    trigger: interval
    minutes: 5
  - id: c
    func: sample
    trigger: date
    run_date: 2099-01-01T00:00:00Z
    max_instances: 0
    kwargs: { symbol: X }
  - id: c
    func: sample
    trigger: cron
    hour: 1
    kwargs: { symbol: X }
`);
    const text = found.join('\n');
    expect(text).toMatch(/job 'a': second: /);
    expect(text).toMatch(/job 'b': func: unknown job type 'nope'; known types: sample/);
    expect(text).toMatch(/job 'c': max_instances: expected a whole number of at least 1/);
    expect(text).toMatch(/job 'c': id: duplicate job id/);
    expect(found.every((p) => /jobs\.yaml:\d+:\d+: job /.test(p))).toBe(true);
  });

  it('reports kwargs problems naming the key', async () => {
    const found = await problems('jobs:\n  - id: a\n    func: sample\n    trigger: cron\n    hour: 1\n    kwargs: { symbol: 5 }\n');
    expect(found.join('\n')).toMatch(/job 'a': kwargs\.symbol: /);
  });

  it('loads user job modules relative to the file, with their JSON Schema', async () => {
    const defs = await load('jobs:\n  - id: mine\n    func: ./my_job.mjs:run\n    trigger: cron\n    hour: 1\n    kwargs: { n: 1 }\n', {
      'my_job.mjs': "export const kwargsSchema = { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false };\nexport async function run(ctx, kwargs) { return { message: String(kwargs.n) }; }\n",
    });
    expect(defs[0]!.func).toBe('./my_job.mjs:run');
    const bad = await problems('jobs:\n  - id: mine\n    func: ./my_job.mjs:run\n    trigger: cron\n    hour: 1\n    kwargs: { n: x, extra: 1 }\n', {
      'my_job.mjs': "export const kwargsSchema = { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false };\nexport async function run() {}\n",
    });
    expect(bad.join('\n')).toMatch(/job 'mine': kwargs\.n: must be integer/);
    expect(bad.join('\n')).toMatch(/job 'mine': kwargs\.extra: /);
  });

  it('takes any kwargs object for a user module without a kwargsSchema', async () => {
    const defs = await load('jobs:\n  - id: free\n    func: ./free.mjs\n    trigger: cron\n    hour: 1\n    kwargs: { anything: [1, 2], nested: { a: b } }\n', {
      'free.mjs': 'export async function run() {}\n',
    });
    expect(defs[0]!.kwargs).toEqual({ anything: [1, 2], nested: { a: 'b' } });
  });

  it('rejects a module that fails to load or exports no function', async () => {
    const missing = await problems('jobs:\n  - id: m\n    func: ./missing.mjs:run\n    trigger: cron\n    hour: 1\n');
    expect(missing[0]).toMatch(/job 'm': func: cannot load job module \.\/missing\.mjs/);
    const noFn = await problems('jobs:\n  - id: m\n    func: ./empty.mjs:run\n    trigger: cron\n    hour: 1\n', { 'empty.mjs': 'export const run = 42;\n' });
    expect(noFn[0]).toMatch(/does not export a function named 'run'/);
  });

  it('substitutes ${VAR} and ${VAR:-default} and reports unset variables', async () => {
    process.env['KAIROS_TEST_SYMBOL'] = 'DOGE';
    const defs = await load('jobs:\n  - id: a\n    func: sample\n    trigger: cron\n    hour: 1\n    kwargs: { symbol: "${KAIROS_TEST_SYMBOL}", limit: 1 }\n');
    expect(defs[0]!.kwargs['symbol']).toBe('DOGE');
    const found = await problems('jobs:\n  - id: a\n    func: sample\n    trigger: cron\n    hour: 1\n    kwargs: { symbol: "${KAIROS_UNSET_FOR_TEST}" }\n');
    expect(found[0]).toMatch(/KAIROS_UNSET_FOR_TEST is not set/);
  });

  it('the shipped configs/jobs.yaml loads with the built-in job types', async () => {
    const { registerBuiltInJobTypes } = await import('../../src/app/job-types.js');
    const { openWarehouse } = await import('../../src/warehouse/open-warehouse.js');
    const warehouse = await openWarehouse({ isTest: false, sqlitePath: tempDir('warehouse') });
    const registry = new JobTypeRegistry();
    registerBuiltInJobTypes(registry, { warehouse, openWarehouse: async () => warehouse, thresholdAlerter: null, processAlerter: null });
    const { store } = await sqliteStore();
    const scheduler = testScheduler(store, new ManualClock(Date.now()), registry.all());
    const defs = await loadJobsFile(new URL('../../configs/jobs.yaml', import.meta.url).pathname, registry, (def) => scheduler.validateDefinition(def));
    expect(defs.map((d) => d.id)).toEqual(expect.arrayContaining(['DATA_account_summary_1_minute', 'OP_insert_data', 'OP_delete_duplicate_data', 'MART_portfolio_performance']));
    await store.close();
    await warehouse.close();
  });
});
