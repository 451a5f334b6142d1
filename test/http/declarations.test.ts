import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOG_LIMITS, SLUG_PATTERN } from '../../internal/domain/blogs/blog.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../internal/domain/shared/page.js';
import { openTestApp, problemOf, signUp, type TestApp } from '../support/http.js';

interface Operation {
  summary?: string;
  security?: Array<Record<string, string[]>>;
  responses: Record<string, unknown>;
  parameters?: Array<{ name: string; schema: { maximum?: number; default?: number } }>;
  requestBody?: { content: { 'application/json': { schema: { properties: Record<string, { maxLength?: number; maxItems?: number; pattern?: string; description?: string }> } } } };
}
type Document = { paths: Record<string, Record<string, Operation>> };

const REQUIRED = [{ bearer: [] }];
const OPTIONAL = [{ bearer: [] }, {}];

describe('what routes declare, as OpenAPI shows it (sqlite)', () => {
  let t: TestApp;
  let doc: Document;
  beforeAll(async () => {
    t = await openTestApp('sqlite', { POST_MAX_LENGTH: '10', DAILY_POST_LIMIT: '3' });
    doc = (await t.app.inject('/api/openapi.json')).json<Document>();
  });
  afterAll(() => t?.close());
  const op = (method: string, path: string) => doc.paths[path]![method]!;

  it('when a route declares auth, then its security says so: required, optional or none', () => {
    for (const [method, path] of [['post', '/api/posts'], ['patch', '/api/blogs/{id}'], ['delete', '/api/sessions/current'], ['get', '/api/me'], ['put', '/api/listings/{id}']]) {
      expect(op(method!, path!).security, `${method} ${path}`).toEqual(REQUIRED);
      expect(op(method!, path!).responses['401'], `${method} ${path}`).toBeDefined();
    }
    for (const [method, path] of [['get', '/api/posts'], ['get', '/api/users/{username}']]) {
      expect(op(method!, path!).security, `${method} ${path}`).toEqual(OPTIONAL);
      expect(op(method!, path!).responses['401'], `${method} ${path}`).toBeDefined();
    }
    for (const [method, path] of [['get', '/api/posts/{id}'], ['post', '/api/users'], ['get', '/api/blogs']]) {
      expect(op(method!, path!).security, `${method} ${path}`).toEqual([]);
      expect(op(method!, path!).responses['401'], `${method} ${path}`).toBeUndefined();
    }
    // Log-in is public; its 401 is a wrong password, not a token.
    expect(op('post', '/api/sessions').security).toEqual([]);
  });

  it('when a bad token comes, then an optional route answers 401 and a public one ignores it', async () => {
    const headers = { authorization: 'Bearer not-a-token' };
    const optional = await t.app.inject({ url: '/api/posts', headers });
    expect(optional.statusCode).toBe(401);
    expect(problemOf(optional).code).toBe('UNAUTHENTICATED');
    expect((await t.app.inject({ url: '/api/blogs', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/posts' })).statusCode).toBe(200);
  });

  it('when the post limits are configured, then every post shape in the schema and its text follow them', async () => {
    const create = op('post', '/api/posts');
    expect(create.summary).toContain('at most 3 a UTC day');
    expect(create.summary).toContain('10 characters');
    const shapes = (create.requestBody!.content['application/json'].schema as unknown as { anyOf: Array<{ properties: Record<string, { maxLength?: number; description?: string }> }> }).anyOf;
    const contents = shapes.map((shape) => shape.properties.content).filter((c) => c !== undefined);
    expect(contents).toHaveLength(2);
    for (const content of contents) {
      expect(content.maxLength).toBe(10);
      expect(content.description).toContain('1 to 10 characters');
    }

    const me = await signUp(t.app);
    const send = (text: string) => t.app.inject({ method: 'POST', url: '/api/posts', payload: { content: text }, headers: me.headers });
    const padded = await send(`  ${'x'.repeat(6)}  `);
    expect(padded.statusCode).toBe(201);
    expect(padded.json<{ content: string }>().content).toBe('x'.repeat(6));
    const tooLong = await send('x'.repeat(11));
    expect(tooLong.statusCode).toBe(400);
    expect(problemOf(tooLong).errors?.map((e) => e.field)).toContain('content');
    expect((await send(' '.repeat(10))).statusCode).toBe(400);
    await send('two');
    expect((await send('three')).statusCode).toBe(201);
    expect((await send('four')).statusCode).toBe(429);
  });

  it('when pages and blogs are described, then their bounds are the domain constants', () => {
    const limit = op('get', '/api/users').parameters!.find((p) => p.name === 'limit')!.schema;
    expect(limit).toMatchObject({ maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE });
    const blog = op('post', '/api/blogs').requestBody!.content['application/json'].schema.properties;
    expect(blog.slug!.pattern).toBe(SLUG_PATTERN);
    expect(blog.name!.maxLength).toBe(BLOG_LIMITS.maxNameLength);
    expect(blog.articles!.maxItems).toBe(BLOG_LIMITS.maxArticlesPerRequest);
  });
});

describe('load shedding (sqlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Any event-loop use is "pressure" here, sampled every 10 ms.
    t = await openTestApp('sqlite', {}, { loadShedding: { maxEventLoopUtilization: 1e-9, sampleInterval: 10 } });
    await sleep(50);
  });
  afterAll(() => t?.close());

  it('when the process is under pressure, then API routes answer 503 UNDER_PRESSURE with Retry-After and operations routes still answer', async () => {
    const res = await t.app.inject({ url: '/api/users', headers: { 'x-request-id': 'shed-1' } });
    expect(res.statusCode).toBe(503);
    expect(problemOf(res).code).toBe('UNDER_PRESSURE');
    expect(res.headers['retry-after']).toBe('10');
    expect(res.headers['x-request-id']).toBe('shed-1');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    for (const url of ['/healthz', '/metrics']) expect((await t.app.inject(url)).statusCode, url).toBe(200);
  });
});
