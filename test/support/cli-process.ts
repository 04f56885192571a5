import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const KAIROS_BIN = fileURLToPath(new URL('../../bin/kairos.js', import.meta.url));

export interface RunningKairos {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/**
 * Starts the built CLI (`node bin/kairos.js serve`) as a user would and waits
 * for the line announcing its URL. Run `npm run build` first (npm test does).
 */
export async function startKairos(env: Record<string, string>, cwd: string): Promise<RunningKairos> {
  const child = spawn(process.execPath, [KAIROS_BIN, 'serve'], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', KAIROS_LOG_CONSOLE: 'json', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += String(d)));
  child.stderr!.on('data', (d) => (output += String(d)));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kairos did not start in time:\n${output}`)), 20_000);
    const check = (): void => {
      const match = /dashboard and API at (http:\/\/[^/\s]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kairos exited (${code}) before starting:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}
