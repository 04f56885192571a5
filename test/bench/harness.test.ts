import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Summary {
  id: string;
  rows: { contender: string; errors: string[]; metrics: Record<string, { median: number | null; n: number }> }[];
}

// Only checks that the harness runs end to end at tiny sizes (Kairos on SQLite and croner, no apt, no services);
// the numbers of such a short run mean nothing.
describe('benchmark harness (smoke)', () => {
  it('runs the workloads at tiny sizes and writes RESULTS.md and raw JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kairos-bench-smoke-'));
    await run(process.execPath, ['bench/run.js', '--smoke', '--only', 'w1,w2,w3', '--out', out], { timeout: 110_000 });
    const markdown = readFileSync(join(out, 'RESULTS.md'), 'utf8');
    expect(markdown).toContain('| kairos (sqlite) |');
    expect(markdown).toContain('| croner (memory) |');
    const [file] = readdirSync(join(out, 'results'));
    const { summary } = JSON.parse(readFileSync(join(out, 'results', file!), 'utf8')) as { summary: Summary[] };
    const w1 = summary.find((w) => w.id === 'w1')!;
    for (const row of w1.rows) {
      expect(row.errors).toEqual([]);
      expect(row.metrics['missed']!.median).toBe(0);
      expect(row.metrics['p99']!.median).toBeGreaterThanOrEqual(0);
    }
    const w2 = summary.find((w) => w.id === 'w2')!.rows[0]!;
    expect(w2.metrics['firesPerSec']!.median).toBeGreaterThan(0);
    const w3 = summary.find((w) => w.id === 'w3')!.rows[0]!;
    expect(w3.metrics['startMs']!.median).toBeGreaterThan(0);
  }, 120_000);
});
