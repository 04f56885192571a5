import pg from 'pg';

/**
 * A dedicated connection that LISTENs on one channel and reconnects with
 * capped exponential backoff when PostgreSQL restarts or the connection drops.
 */
export class NotificationListener {
  private client: pg.Client | null = null;
  private readonly handlers: ((payload: string) => void)[] = [];
  private closed = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onConnectionChange?: (connected: boolean) => void,
  ) {}

  onMessage(handler: (payload: string) => void): void {
    this.handlers.push(handler);
  }

  /** Connects once (throwing if that fails); later drops reconnect in the background and never throw. */
  async start(): Promise<void> {
    if (this.client || this.closed) return;
    this.client = await this.connect();
    this.onConnectionChange?.(true);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    client.on('notification', (message) => {
      if (message.channel !== this.channel || message.payload === undefined) return;
      for (const handler of this.handlers) handler(message.payload);
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  private async reconnect(): Promise<void> {
    try {
      const client = await this.connect();
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.failures = 0;
      this.onConnectionChange?.(true);
    } catch {
      this.failures++;
      this.scheduleReconnect();
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.onConnectionChange?.(false);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    const delay = Math.min(100 * 2 ** this.failures, 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.reconnect();
    }, delay);
    this.retryTimer.unref();
  }
}
