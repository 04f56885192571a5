import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lazyCompilers } from '../../src/api/lazy-compilers.js';
import { startApi, type Harness } from './support.js';

describe('route schemas compiled on first use', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  it('compiles every route schema of the API', async () => {
    await expect(h.api.compileSchemas()).resolves.toBeUndefined();
  });

  it('validates, coerces and serialises as Fastify does eagerly', async () => {
    const app = Fastify({
      ajv: { customOptions: { allErrors: true, coerceTypes: 'array' } },
      schemaController: { compilersFactory: lazyCompilers().factory },
    });
    app.get(
      '/items',
      {
        schema: {
          querystring: { type: 'object', properties: { id: { type: 'array', items: { type: 'integer' } } }, required: ['id'] },
          response: { 200: { type: 'object', properties: { ids: { type: 'array', items: { type: 'integer' } } } } },
        },
      },
      async (request) => ({ ids: (request.query as { id: number[] }).id, secret: 'not in the schema' }),
    );
    const ok = await app.inject({ method: 'GET', url: '/items?id=7' });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('{"ids":[7]}');
    const bad = await app.inject({ method: 'GET', url: '/items?id=x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('querystring/id/0 must be integer');
    await app.close();
  });

  it('names the route whose schema does not compile', async () => {
    const compilers = lazyCompilers();
    const app = Fastify({ schemaController: { compilersFactory: compilers.factory } });
    app.post('/broken', { schema: { body: { type: 'object', properties: { n: { type: 'no-such-type' } } } } }, async () => ({}));
    await app.ready();
    await expect(compilers.compileRemaining()).rejects.toThrow(/schema of POST \/broken body does not compile/);
    await app.close();
  });
});
