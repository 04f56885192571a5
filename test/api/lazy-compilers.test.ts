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

  it('compiles every route schema of the API', () => {
    // Request parts and responses of every route: over two hundred schemas (219 when written), none compiled before.
    expect(h.api.compileSchemas()).toBeGreaterThan(200);
    expect(h.api.compileSchemas()).toBe(0);
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
    expect(() => compilers.compileRemaining()).toThrow(/schema of POST \/broken body does not compile/);
    await app.close();
  });
});
