import { request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ERROR_SECURITY_HEADERS } from '../../internal/app/http/router-errors.js';
import { openTestApp, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A real socket: Node's parser and Fastify's router answer some of these before any hook. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describeEachStore(
  'errors the router and the HTTP parser answer',
  () => {
    let t: TestApp;
    let port: number;
    beforeAll(async () => {
      t = await openTestApp('sqlite');
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      port = (t.app.server.address() as { port: number }).port;
    });
    afterAll(() => t?.close());

    const LONG = 'y'.repeat(300);
    it.each([
      ['an unknown method on a known path', 'PUT', '/api/posts', 405, 'METHOD_NOT_ALLOWED'],
      ['TRACE on a known path', 'TRACE', '/api/users', 405, 'METHOD_NOT_ALLOWED'],
      ['QUERY (a method with a body) without a Content-Type', 'QUERY', '/api/users', 405, 'METHOD_NOT_ALLOWED'],
      ['an unknown path', 'GET', `/api/nothing-${LONG.slice(0, 20)}`, 404, 'ROUTE_NOT_FOUND'],
      ['a bad percent-encoding', 'GET', '/api/posts/%zz%', 400, 'BAD_URL'],
      ['an overlong path parameter', 'GET', `/api/posts/${LONG}`, 414, 'URI_TOO_LONG'],
      ['a request line larger than the parser takes', 'GET', `/api/posts?q=${'z'.repeat(20_000)}`, 431, 'HEADERS_TOO_LARGE'],
    ])('when %s is sent, then a problem document with the request id and security headers, not echoing the input', async (_, method, path, status, code) => {
      const res = await send(port, method, path);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status, code });
      expect(res.headers['x-request-id']).toMatch(/^[\w.:-]+$/);
      expect(res.body).not.toContain('yyyyyyyyyy');
      expect(res.body).not.toContain('zz');
      for (const header of ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'strict-transport-security']) {
        expect(res.headers[header], header).toBeDefined();
      }
    });

    it('when a method is not allowed, then Allow lists the methods the path answers', async () => {
      const res = await send(port, 'DELETE', '/api/posts');
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      const item = await send(port, 'PATCH', '/api/listings/abc');
      expect(item.headers.allow).toBe('DELETE, GET, HEAD, PUT');
    });

    it('when the OpenAPI document describes /metrics, then as Prometheus text, not JSON', async () => {
      const doc = JSON.parse((await send(port, 'GET', '/api/openapi.json')).body) as { paths: Record<string, { get: { responses: Record<string, { content: object }> } }> };
      expect(Object.keys(doc.paths['/metrics']!.get.responses['200']!.content)).toEqual(['text/plain']);
      const metrics = await send(port, 'GET', '/metrics');
      expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    });

    it('when a body is text/plain, then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
      const res = await send(port, 'POST', '/api/users', { 'content-type': 'text/plain' }, 'username=a');
      expect(res.status).toBe(415);
      expect(JSON.parse(res.body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('when a body is larger than 1 MiB, then 413 BODY_TOO_LARGE', async () => {
      const res = await send(port, 'POST', '/api/users', { 'content-type': 'application/json' }, `{"username":"${'a'.repeat(1_100_000)}"}`);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).code).toBe('BODY_TOO_LARGE');
    });

    it('when the router answers, then it carries every security header helmet puts on a routed answer', async () => {
      const routed = await send(port, 'GET', '/api/users/nobody');
      const helmetNames = Object.keys(routed.headers).filter((h) => Object.keys(ERROR_SECURITY_HEADERS).includes(h) || /^(x-|strict-|cross-origin|origin-agent|referrer|content-security)/.test(h));
      const raw = await send(port, 'GET', '/api/posts/%zz%');
      for (const name of helmetNames) expect(raw.headers[name], name).toBeDefined();
    });

    it('when a route answers, then it carries the security headers the router\'s own answers carry, with the same values but the CSP (the API\'s)', async () => {
      for (const path of ['/api/users/nobody', '/api/posts?limit=10', '/api/posts?limit=0']) {
        const routed = await send(port, 'GET', path);
        for (const [name, value] of Object.entries(ERROR_SECURITY_HEADERS)) {
          // The router's own answers carry a stricter CSP (no page to render); a route's is the API's.
          if (name === 'content-security-policy') expect(routed.headers[name], path).toMatch(/^default-src 'self';.*frame-ancestors 'self';.*object-src 'none'/);
          else expect(routed.headers[name], `${path} ${name}`).toBe(value);
        }
      }
    });

    it('when the OpenAPI document is read, then every error answer of every operation is application/problem+json', async () => {
      const doc = JSON.parse((await send(port, 'GET', '/api/openapi.json')).body) as {
        paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
      };
      let errors = 0;
      for (const [path, operations] of Object.entries(doc.paths)) {
        if (!path.startsWith('/api/')) continue;
        for (const [method, operation] of Object.entries(operations)) {
          for (const status of [500, 503]) expect(operation.responses[status], `${method} ${path} ${status}`).toBeDefined();
          for (const [status, response] of Object.entries(operation.responses)) {
            if (Number(status) < 400) continue;
            errors++;
            expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
          }
        }
      }
      expect(errors).toBeGreaterThan(100);
    });
  },
  ['sqlite'],
);
