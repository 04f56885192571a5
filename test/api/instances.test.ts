import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Harness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(() => h.close());

describe('GET /scheduler/instances', () => {
  it('lists this instance with its heartbeat', async () => {
    const { status, body } = await h.call('GET', '/scheduler/instances', { token: null });
    expect(status).toBe(200);
    expect(body.instances).toHaveLength(1);
    expect(body.instances[0]).toMatchObject({ instance_id: h.scheduler.instanceId, pid: process.pid, alive: true });
    expect(Date.parse(body.instances[0].heartbeat_at)).toBeLessThanOrEqual(Date.now());
  });
});
