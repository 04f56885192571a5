import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `node bench/profile-summary.mjs bench/profiles/w2 [top]`: self time per
 * function (and per file) over every .cpuprofile in a directory, the biggest
 * first, so `--profile` runs can be read without DevTools.
 */
const [dir, top = '25'] = process.argv.slice(2);
const byFunction = new Map();
const byFile = new Map();
let total = 0;
for (const name of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(join(dir, name), 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  // Samples are taken at a fixed interval; each counts toward the function on top of the stack.
  const interval = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length) / 1000;
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const file = url.replace(/^file:\/\/.*?\/(node_modules|dist|bench)\//, '$1/') || '(native)';
    const fn = `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + interval);
    byFile.set(file, (byFile.get(file) ?? 0) + interval);
    total += interval;
  }
}
const show = (title, map) => {
  console.log(`\n${title} (total ${Math.round(total)} ms)`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${((ms / total) * 100).toFixed(1).padStart(5)}%  ${Math.round(ms).toString().padStart(6)} ms  ${key}`);
  }
};
show('self time by function', byFunction);
show('self time by file', byFile);
