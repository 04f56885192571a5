import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { api, socketUrl } from './api.js';
import type { Job, SchedulerStatus, WsEvent, WsSnapshot } from './types.js';

export type Connection = 'connecting' | 'live' | 'reconnecting';

export interface Live {
  readonly status: SchedulerStatus | undefined;
  readonly jobs: readonly Job[];
  /** Newest first, bounded. */
  readonly events: readonly WsEvent[];
  readonly connection: Connection;
  /** Refetches jobs and status now (after an action whose answer changes them). */
  readonly refresh: () => void;
}

export const LiveContext = createContext<Live>({ status: undefined, jobs: [], events: [], connection: 'connecting', refresh: () => undefined });
export const useLive = (): Live => useContext(LiveContext);

const MAX_EVENTS = 50;
/** Events come in bursts (submitted, then the outcome): one refetch per burst. */
const REFETCH_DELAY_MS = 300;
const MAX_BACKOFF_MS = 10_000;

/**
 * The scheduler as /ws/scheduler tells it: the snapshot, then each event's
 * stats applied at once. Events carry stats but not the next run time, so a
 * burst of events is followed by one refetch of the job list. Reconnects with
 * capped backoff; a new snapshot replaces everything, so nothing missed while
 * disconnected stays stale.
 */
export function useLiveScheduler(): Live {
  const [status, setStatus] = useState<SchedulerStatus>();
  const [jobs, setJobs] = useState<readonly Job[]>([]);
  const [events, setEvents] = useState<readonly WsEvent[]>([]);
  const [connection, setConnection] = useState<Connection>('connecting');
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refetch = (): void => {
    void Promise.all([api<{ jobs: Job[] }>('/scheduler/jobs'), api<SchedulerStatus>('/scheduler/status')]).then(
      ([list, current]) => {
        setJobs(list.jobs);
        setStatus(current);
      },
      // The socket's next snapshot or event brings the next attempt.
      () => undefined,
    );
  };
  const scheduleRefetch = (): void => {
    clearTimeout(refetchTimer.current);
    refetchTimer.current = setTimeout(refetch, REFETCH_DELAY_MS);
  };

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 500;
    let closed = false;
    const connect = (): void => {
      socket = new WebSocket(socketUrl('/ws/scheduler'));
      socket.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as WsSnapshot | WsEvent | { type: string };
        if (data.type === 'snapshot') {
          const snapshot = data as WsSnapshot;
          backoff = 500;
          setConnection('live');
          setStatus(snapshot.status);
          setJobs(snapshot.jobs);
        } else if (data.type === 'event') {
          const event = data as WsEvent;
          setJobs((list) => list.map((job) => (job.id === event.job_id ? { ...job, stats: event.stats } : job)));
          setEvents((list) => [event, ...list].slice(0, MAX_EVENTS));
          scheduleRefetch();
        }
      };
      socket.onclose = () => {
        if (closed) return;
        setConnection('reconnecting');
        retry = setTimeout(connect, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      };
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(retry);
      clearTimeout(refetchTimer.current);
      socket?.close();
    };
  }, []);

  return { status, jobs, events, connection, refresh: refetch };
}
