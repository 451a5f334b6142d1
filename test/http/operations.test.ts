import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, problemOf, type TestApp } from '../support/http.js';

describe('operations and conventions (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp('sqlite');
    t.app.get('/test/boom', async () => {
      throw new Error('secret internals: password=hunter2');
    });
  });
  afterAll(() => t?.close());

  it('when /healthz and /readyz are asked, then both answer 200', async () => {
    expect((await t.app.inject('/healthz')).statusCode).toBe(200);
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', stores: { sqlite: 'up' } });
  });

  it('when a request carries x-request-id, then the response echoes it; otherwise one is made', async () => {
    const echoed = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(echoed.headers['x-request-id']).toBe('trace-123');
    const made = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a handler fails unexpectedly, then 500 problem+json hides the internals', async () => {
    const res = await t.app.inject({ url: '/test/boom', headers: { 'x-request-id': 'req-500' } });
    expect(res.statusCode).toBe(500);
    const problem = problemOf(res);
    expect(problem.code).toBe('INTERNAL');
    expect(res.body).not.toContain('hunter2');
    expect(res.headers['x-request-id']).toBe('req-500');
  });

  it('when a route does not exist, then 404 ROUTE_NOT_FOUND as a problem', async () => {
    const res = await t.app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(problemOf(res).code).toBe('ROUTE_NOT_FOUND');
  });

  it('when /metrics is scraped after traffic, then it has request counts by route and store latency', async () => {
    await t.app.inject('/api/users');
    const res = await t.app.inject('/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('agora_http_requests_total{method="GET",route="/api/users",status="200"}');
    expect(res.body).toContain('agora_store_query_duration_seconds_count{store="sqlite",repository="users",method="page"}');
    expect(res.body).toContain('process_cpu_seconds_total');
  });

  it('when the OpenAPI document is read, then every API route has request and response schemas', async () => {
    const res = await t.app.inject('/api/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json<{ paths: Record<string, Record<string, { responses?: Record<string, unknown>; parameters?: unknown[]; requestBody?: unknown }>> }>();
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.length).toBeGreaterThanOrEqual(14);
    for (const { path, method, op } of operations) {
      const success = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
      expect(success.length, `${method} ${path} has a success response`).toBeGreaterThan(0);
      if (['post', 'put', 'patch'].includes(method) && !path.endsWith('/follow')) {
        expect(op.requestBody, `${method} ${path} has a request body schema`).toBeTruthy();
      }
    }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/users', '/api/sessions', '/api/posts', '/api/posts/{id}', '/api/users/{username}/follow']));
  });

  it('when /docs is opened, then Swagger UI loads', async () => {
    const res = await t.app.inject('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });
});
