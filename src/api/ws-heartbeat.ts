import type { WebSocket } from 'ws';

export interface Heartbeat {
  watch(socket: WebSocket): void;
  stop(): void;
}

/**
 * Pings every client each `intervalMs`; a client that has not answered the
 * previous ping by the next one is terminated. A half-open TCP connection
 * (a laptop that slept, a dropped NAT entry) otherwise holds its queue forever.
 */
export function startHeartbeat(intervalMs: number): Heartbeat {
  const alive = new Map<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const [socket, answered] of alive) {
      if (!answered) {
        alive.delete(socket);
        socket.terminate();
        continue;
      }
      alive.set(socket, false);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(socket) {
      alive.set(socket, true);
      socket.on('pong', () => alive.has(socket) && alive.set(socket, true));
      socket.on('close', () => alive.delete(socket));
    },
    stop() {
      clearInterval(timer);
    },
  };
}
