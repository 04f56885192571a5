import { WebSocket } from 'ws';

/**
 * W5's WebSocket clients, in a process of their own so they do not share the
 * scheduler's CPU accounting. Each counts the job events it receives for fires
 * scheduled inside the measurement window the harness hands over.
 */
export const workloads = {
  async clients({ url, clients }, { ready }) {
    const wsUrl = `${url.replace(/^http/, 'ws')}/ws/scheduler`;
    let timer;
    // A server too busy to send every snapshot within a minute fails the repetition instead of hanging it.
    const deadline = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`not all ${clients} clients got their snapshot within 60 s`)), 60_000)));
    const connecting = Promise.all(
      Array.from({ length: clients }, () =>
        new Promise((resolve, reject) => {
          const state = { scheduled: [], closed: false, socket: new WebSocket(wsUrl) };
          state.socket.on('message', (data) => {
            const message = JSON.parse(data.toString());
            if (message.type === 'snapshot') resolve(state);
            else if (message.type === 'event') state.scheduled.push(Date.parse(message.scheduled_at));
          });
          state.socket.on('close', () => (state.closed = true));
          state.socket.on('error', reject);
        }),
      ),
    );
    const states = await Promise.race([connecting, deadline]);
    clearTimeout(timer);
    const { from, to } = await ready({ connected: states.length });
    const delivered = states.filter((s) => !s.closed).map((s) => s.scheduled.filter((t) => t >= from && t < to).length);
    for (const s of states) s.socket.terminate();
    return { healthy: delivered.length, delivered };
  },
};
