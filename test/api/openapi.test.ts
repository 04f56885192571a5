import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Harness } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => h.close());

type Operation = { responses: Record<string, { content?: unknown }>; security?: unknown[]; requestBody?: unknown };

describe('OpenAPI document', () => {
  it('is served at /openapi.json and is a valid OpenAPI 3.1 document', async () => {
    const { status, body } = await h.call('GET', '/openapi.json', { token: null });
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(body))).resolves.toBeTruthy();
  });

  it('documents every route with 2xx and error responses, and security by access level', async () => {
    const doc = (await h.call('GET', '/openapi.json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    const names = operations.map((o) => o.name);
    for (const expected of [
      'POST /scheduler/jobs',
      'PATCH /scheduler/jobs/{job_id}',
      'PUT /scheduler/jobs/{job_id}/trigger',
      'DELETE /scheduler/jobs/{job_id}',
      'GET /scheduler/preview',
      'GET /scheduler/jobs/{job_id}/preview',
      'GET /job-types',
      'GET /system/metrics',
      'GET /system/resources',
      'GET /metrics',
      'GET /notify/status',
      'GET /ws/scheduler',
      'GET /scheduler/jobs/{job_id}/runs',
      'GET /scheduler/runs/{run_id}',
    ]) {
      expect(names).toContain(expected);
    }
    for (const { name, op } of operations) {
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^[123]\d\d$/.test(s)), name).toBe(true);
      const mutating = !name.startsWith('GET');
      if (mutating) expect(op.security, name).toEqual([{ bearer: [] }]);
      if (mutating) expect(statuses, name).toEqual(expect.arrayContaining(['401', '403']));
      if (op.requestBody) expect(statuses, name).toEqual(expect.arrayContaining(['400', '413']));
    }
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['WsSnapshotMessage', 'WsEventMessage', 'WsSubscribeMessage']));
  });

  it('matches the committed docs/openapi.json (regenerate: npx vitest run test/api/openapi.test.ts -u)', async () => {
    const doc = (await h.call('GET', '/openapi.json')).body;
    // The version is the only field that depends on how the app was built.
    doc.info.version = 'generated';
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot('../../docs/openapi.json');
  });

  it('serves Swagger UI at /docs with the bearer scheme and persisted authorization', async () => {
    const page = await fetch(`${h.base}/docs/static/index.html`);
    expect(page.status).toBe(200);
    const init = await (await fetch(`${h.base}/docs/static/swagger-initializer.js`)).text();
    expect(init).toContain('"persistAuthorization":true');
    expect((await h.call('GET', '/docs/json')).body.components.securitySchemes.bearer.scheme).toBe('bearer');
  });
});
