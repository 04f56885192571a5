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

/** Close code for a client disconnected as too slow (policy violation). */
export const TOO_SLOW = 1008;

/**
 * A text message, encoded once: a Buffer shared by every client it goes to
 * (sending a string would encode it again per client), or a string for one.
 */
export type WsText = string | Buffer;

/**
 * One client's outbound queue. A slow client never slows the scheduler or the
 * other clients: when its socket buffer is full, messages wait here; when this
 * queue is full the oldest is dropped; past `maxDropped` the client is
 * disconnected. The connection is cut rather than closed politely: a close
 * frame would wait behind the very buffer the client does not read.
 */
export class WsChannel {
  private readonly queue: WsText[] = [];
  private dropped = 0;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: ChannelLimits = DEFAULT_CHANNEL_LIMITS,
  ) {
    socket.on('close', () => this.clear());
  }

  get droppedCount(): number {
    return this.dropped;
  }

  send(message: WsText): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.queue.length >= this.limits.maxQueued) {
      this.queue.shift();
      this.dropped++;
      if (this.dropped > this.limits.maxDropped) {
        this.clear();
        this.socket.close(TOO_SLOW, 'client too slow: events dropped');
        this.socket.terminate();
        return;
      }
    }
    this.queue.push(message);
    this.pump();
  }

  close(code: number, reason: string): void {
    this.clear();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
  }

  private clear(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.queue.length = 0;
  }

  private pump(): void {
    while (this.queue.length && this.socket.readyState === this.socket.OPEN && this.socket.bufferedAmount < this.limits.highWaterBytes) {
      // Always a text frame: browsers hand binary frames over as Blobs.
      this.socket.send(this.queue.shift()!, { binary: false });
    }
    if (this.queue.length && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = null;
        this.pump();
      }, 20);
    }
  }
}
