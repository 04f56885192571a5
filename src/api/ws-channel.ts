import type { WebSocket } from 'ws';

export interface ChannelLimits {
  /** Messages held for a client that reads slower than events arrive. @default 1000 */
  readonly maxQueued: number;
  /** Bytes the socket may buffer before we hold messages back. @default 1 MiB */
  readonly highWaterBytes: number;
  /** Dropped messages after which a client is disconnected as too slow. @default 5000 */
  readonly maxDropped: number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = { maxQueued: 1000, highWaterBytes: 1 << 20, maxDropped: 5000 };

/**
 * One client's outbound queue. A slow client never slows the scheduler or the
 * other clients: when its socket buffer is full, messages wait here; when this
 * queue is full the oldest is dropped; past `maxDropped` the client is closed (1008).
 */
export class WsChannel {
  private readonly queue: string[] = [];
  private dropped = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: ChannelLimits = DEFAULT_CHANNEL_LIMITS,
  ) {}

  get droppedCount(): number {
    return this.dropped;
  }

  send(message: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.queue.length >= this.limits.maxQueued) {
      this.queue.shift();
      this.dropped++;
      if (this.dropped > this.limits.maxDropped) {
        this.close(1008, 'client too slow: events dropped');
        return;
      }
    }
    this.queue.push(message);
    this.pump();
  }

  close(code: number, reason: string): void {
    if (this.retry) clearTimeout(this.retry);
    this.queue.length = 0;
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
  }

  private pump(): void {
    while (this.queue.length && this.socket.bufferedAmount < this.limits.highWaterBytes) {
      this.socket.send(this.queue.shift()!);
    }
    if (this.queue.length && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.pump();
      }, 20);
    }
  }
}
