import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly reload: () => void;
}

/**
 * Loads on mount and whenever `key` changes, then every `intervalMs` (0: once).
 * An answer that arrives after a newer request started is dropped, so a slow
 * response never overwrites a fresher one; the last good data stays on an error.
 */
export function useLoad<T>(load: () => Promise<T>, key: string, intervalMs = 0): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<Error>();
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => {
    const mine = ++generation.current;
    loadRef.current().then(
      (value) => {
        if (mine !== generation.current) return;
        setData(value);
        setError(undefined);
      },
      (e: unknown) => mine === generation.current && setError(e instanceof Error ? e : new Error(String(e))),
    );
  }, []);
  useEffect(() => {
    setData(undefined);
    reload();
    if (!intervalMs) return;
    const timer = setInterval(reload, intervalMs);
    return () => clearInterval(timer);
  }, [key, intervalMs, reload]);
  return { data, error, reload };
}

/** The current time, ticking every `ms` (countdowns and "ago" labels). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** The route is the URL hash (`#/jobs/heartbeat`), so the server only ever serves `/`. */
export function useHashRoute(): string[] {
  const read = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const onChange = (): void => setParts(read());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return parts;
}

export const href = (...parts: string[]): string => `#/${parts.map(encodeURIComponent).join('/')}`;
