import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { memoryOf } from './proc.mjs';

const CHILD_MAIN = fileURLToPath(new URL('./child-main.mjs', import.meta.url));
const PYTHON = '/usr/bin/python3';

/**
 * Runs one contender in its own process, so its peak RSS (VmHWM) is its own.
 * Protocol on stdout: optional `READY <json>` (the contender is up; `whileReady`
 * then measures from outside), then
 * `RESULT <json>`. `whileReady` returns `{metrics, report}`: metrics measured
 * from outside, and what the child gets as `report <json>` on stdin.
 * VmHWM is read while the child is still alive, after RESULT.
 */
export async function runContender({ peer, workload, params, timeoutMs = 600_000, whileReady, nodeArgs = [] }) {
  const payload = JSON.stringify(params);
  const [command, args] =
    peer.runtime === 'python'
      ? [PYTHON, [peer.script, workload, payload]]
      : [process.execPath, [...nodeArgs, CHILD_MAIN, peer.module, workload, payload]];
  const started = performance.now();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr = [];
  child.stderr.on('data', (chunk) => {
    stderr.push(chunk.toString());
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let ready = null;
  let result = null;
  let memory = null;
  let outside = null;
  let failure = null;
  try {
    for await (const line of createInterface({ input: child.stdout })) {
      if (line.startsWith('READY ')) {
        ready = { ...JSON.parse(line.slice(6)), readyMs: performance.now() - started };
        let measured = {};
        try {
          measured = whileReady ? await whileReady({ pid: child.pid, ready }) : {};
        } catch (error) {
          // What failed outside (e.g. W5's clients) is the story, not the contender killed afterwards.
          failure = error;
          break;
        }
        outside = measured.metrics ?? null;
        child.stdin.write(`report ${JSON.stringify(measured.report ?? {})}\n`);
      } else if (line.startsWith('RESULT ')) {
        memory = memoryOf(child.pid);
        result = JSON.parse(line.slice(7));
        child.stdin.end();
        break;
      }
    }
  } finally {
    // A contender that hangs after reporting still must not outlive its repetition.
    const grace = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(grace);
    clearTimeout(timer);
  }
  if (failure) throw failure;
  if (!result) {
    const { code, signal } = await exited;
    throw new Error(`${peer.name} ${workload} ended without a result (code ${code}, signal ${signal}):\n${stderr.join('').slice(-3000)}`);
  }
  if (result.error) throw new Error(`${peer.name} ${workload}: ${result.error}`);
  return { ...result, ...(outside ?? {}), readyMs: ready?.readyMs ?? null, peakRssMb: memory.peakRssMb };
}
