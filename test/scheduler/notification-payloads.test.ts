import { describe, expect, it } from 'vitest';
import { notificationPayloads } from '../../src/scheduler/stores/postgres/postgres-store.js';

describe('notificationPayloads', () => {
  it('keeps a small notification whole', () => {
    expect(notificationPayloads({ type: 'changed' })).toEqual(['{"type":"changed"}']);
    expect(notificationPayloads({ type: 'runs', instanceId: 'a', runIds: ['1', '2'] })).toEqual(['{"type":"runs","instanceId":"a","runIds":["1","2"]}']);
  });

  it('splits the run ids of a large batch over payloads PostgreSQL accepts (under 8000 bytes), in order', () => {
    const runIds = Array.from({ length: 1500 }, (_, i) => String(9_000_000_000_000 + i));
    const payloads = notificationPayloads({ type: 'runs', instanceId: '7f0c1c1e-7a51-4d55-9a8e-1d2d3f4a5b6c', runIds });
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    const parsed = payloads.map((p) => JSON.parse(p) as { type: string; instanceId: string; runIds: string[] });
    expect(parsed.every((p) => p.type === 'runs' && p.instanceId === '7f0c1c1e-7a51-4d55-9a8e-1d2d3f4a5b6c')).toBe(true);
    expect(parsed.flatMap((p) => p.runIds)).toEqual(runIds);
  });
});
