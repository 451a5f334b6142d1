import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueUsername } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

const preflight = (app: FastifyInstance, origin: string, url = '/api/posts') =>
  app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
  });

const list = (header: string | number | string[] | undefined) =>
  String(header ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);

async function post(app: FastifyInstance, who: Session, content: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/posts', headers: who.headers, payload: { content } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

interface Page {
  items: Array<{ id: string }>;
  next_cursor: string | null;
}

const LINK = /^<([^<>]+)>; rel="next"$/;

/** Every page from `first`, following either the Link header or next_cursor; the ids in order. */
async function walk(app: FastifyInstance, first: string, by: 'link' | 'next_cursor'): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let url: string | undefined = first;
  let pages = 0;
  while (url !== undefined) {
    const res: LightMyRequestResponse = await app.inject(url);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<Page>();
    ids.push(...page.items.map((item) => item.id));
    pages++;
    const link = res.headers.link as string | undefined;
    if (page.next_cursor === null) {
      expect(link, 'no Link on the last page').toBeUndefined();
      url = undefined;
    } else {
      expect(link).toMatch(LINK);
      url = by === 'link' ? LINK.exec(link!)![1] : `${first}${first.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(page.next_cursor)}`;
    }
    expect(pages).toBeLessThan(50);
  }
  return { ids, pages };
}

describe('HTTP conventions (sqlite)', () => {
  let t: TestApp;
  let plain: TestApp;
  let author: Session;
  beforeAll(async () => {
    [t, plain] = await Promise.all([
      openTestApp('sqlite', { CORS_ORIGINS: `${ALLOWED}, http://localhost:5173`, DAILY_POST_LIMIT: '100' }),
      openTestApp('sqlite'),
    ]);
    author = await signUp(t.app);
  });
  afterAll(async () => {
    await Promise.all([t?.close(), plain?.close()]);
  });

  describe('CORS', () => {
    it('when an allowed origin sends a preflight, then 204 with its origin, the methods, the request headers and a max age', async () => {
      const res = await preflight(t.app, ALLOWED);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(list(res.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'head', 'post', 'put', 'patch', 'delete']));
      expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key', 'if-none-match']));
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(list(res.headers.vary)).toContain('origin');
      // Answered after the request-id and helmet hooks: it carries their headers.
      expect(res.headers['x-request-id']).toBeDefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    });

    it('when an allowed origin reads, then the answer names it and exposes Location, ETag, Link, Retry-After and the request id', async () => {
      const res = await t.app.inject({ url: '/api/posts?limit=1', headers: { origin: 'http://localhost:5173' } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
      expect(list(res.headers['access-control-expose-headers'])).toEqual(expect.arrayContaining(['location', 'etag', 'link', 'retry-after', 'x-request-id']));
    });

    it('when an allowed origin gets an error, then the problem carries the CORS headers too, so the page can read it', async () => {
      const res = await t.app.inject({ url: '/api/me', headers: { origin: ALLOWED } });
      expect(problemOf(res).code).toBe('UNAUTHENTICATED');
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    });

    it('when another origin sends a preflight or a read, then no allow-origin header: the preflight is the 405 it is without CORS', async () => {
      const pre = await preflight(t.app, OTHER);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      expect(pre.statusCode).toBe(405);
      expect(problemOf(pre).code).toBe('METHOD_NOT_ALLOWED');
      const read = await t.app.inject({ url: '/api/posts?limit=1', headers: { origin: OTHER } });
      expect(read.statusCode).toBe(200);
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
      // A prefix or a variant of an allowed origin is another origin.
      for (const near of [`${ALLOWED}.evil.net`, 'http://app.example.com', `${ALLOWED}:8443`]) {
        expect((await preflight(t.app, near)).headers['access-control-allow-origin'], near).toBeUndefined();
      }
    });

    it('when CORS is on, then the router still answers 404 for an unknown path and 405 with the real Allow for a known one', async () => {
      const unknown = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
      expect(unknown.statusCode).toBe(404);
      expect(problemOf(unknown).code).toBe('ROUTE_NOT_FOUND');
      const wrong = await t.app.inject({ method: 'PUT', url: '/api/posts', headers: { origin: ALLOWED } });
      expect(wrong.statusCode).toBe(405);
      expect(wrong.headers.allow).toBe('GET, HEAD, POST');
      expect(wrong.headers['access-control-allow-origin']).toBe(ALLOWED);
      const options = await t.app.inject({ method: 'OPTIONS', url: '/api/posts' });
      expect(options.statusCode).toBe(405);
      expect(options.headers.allow).toBe('GET, HEAD, POST');
    });

    it('when CORS_ORIGINS is not set, then a preflight is the router problem it always was, with no CORS headers', async () => {
      const res = await preflight(plain.app, ALLOWED);
      expect(res.statusCode).toBe(405);
      expect(problemOf(res).code).toBe('METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe('GET, HEAD, POST');
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
      const unknown = await preflight(plain.app, ALLOWED, '/api/nothing-here');
      expect(unknown.statusCode).toBe(404);
      expect(problemOf(unknown).code).toBe('ROUTE_NOT_FOUND');
      const read = await plain.app.inject({ url: '/api/posts', headers: { origin: ALLOWED } });
      expect(read.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('compression', () => {
    let writer: Session;
    let url: string;
    beforeAll(async () => {
      writer = await signUp(t.app);
      for (let i = 0; i < 6; i++) await post(t.app, writer, `${i} ${'a long line of text, '.repeat(30)}`);
      url = `/api/posts?author=${writer.username}&limit=6`;
    });

    it('when a client accepts gzip or br, then a page over 1 KiB comes compressed and decodes to the uncompressed answer', async () => {
      const identity = await t.app.inject(url);
      expect(identity.rawPayload.length).toBeGreaterThan(1024);
      expect(identity.headers['content-encoding']).toBeUndefined();
      const gzip = await t.app.inject({ url, headers: { 'accept-encoding': 'gzip' } });
      expect(gzip.statusCode).toBe(200);
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(list(gzip.headers.vary)).toContain('accept-encoding');
      expect(gzip.rawPayload.length).toBeLessThan(identity.rawPayload.length);
      expect(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8'))).toEqual(identity.json());
      const br = await t.app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } });
      expect(br.headers['content-encoding']).toBe('br');
      expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(identity.json());
      // The weak ETag names the JSON, whatever the coding.
      expect(gzip.headers.etag).toBe(identity.headers.etag);
    });

    it('when a client does not ask (or asks for identity only), then nothing is compressed; nor is a small answer', async () => {
      for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'compress' }]) {
        const res = await t.app.inject({ url, headers });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
        expect(res.json<Page>().items).toHaveLength(6);
      }
      const small = await t.app.inject({ url: `/api/users/${writer.username}`, headers: { 'accept-encoding': 'gzip' } });
      expect(small.statusCode).toBe(200);
      expect(small.headers['content-encoding']).toBeUndefined();
    });

    it('when a problem document is over 1 KiB, then it is compressed too and stays problem+json', async () => {
      const articles = Array.from({ length: 50 }, () => ({ title: 'no content' }));
      const headers = { ...writer.headers, 'accept-encoding': 'gzip' };
      const res = await t.app.inject({ method: 'POST', url: '/api/blogs', headers, payload: { name: 'n', slug: `s-${uniqueUsername()}`, articles } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['content-encoding']).toBe('gzip');
      const doc = JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as { code: string; errors: unknown[] };
      expect(doc.code).toBe('VALIDATION_FAILED');
      expect(doc.errors.length).toBeGreaterThanOrEqual(50);
    });
  });

  describe('ETag', () => {
    it('when a read is repeated with If-None-Match, then 304 with no body; after a new post the tag differs', async () => {
      const first = await t.app.inject('/api/posts?limit=5');
      const tag = first.headers.etag as string;
      expect(tag).toMatch(/^W\/"[^"]+"$/);
      const again = await t.app.inject({ url: '/api/posts?limit=5', headers: { 'if-none-match': tag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(tag);
      // A list of tags, a strong spelling of the weak tag, and `*` all match (weak comparison).
      for (const ifNoneMatch of [`"other", ${tag}`, tag.slice(2), '*']) {
        expect((await t.app.inject({ url: '/api/posts?limit=5', headers: { 'if-none-match': ifNoneMatch } })).statusCode, ifNoneMatch).toBe(304);
      }
      const head = await t.app.inject({ method: 'HEAD', url: '/api/posts?limit=5', headers: { 'if-none-match': tag } });
      expect(head.statusCode).toBe(304);
      expect(head.body).toBe('');

      await post(t.app, author, 'something new');
      const changed = await t.app.inject({ url: '/api/posts?limit=5', headers: { 'if-none-match': tag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).toMatch(/^W\/"[^"]+"$/);
      expect(changed.headers.etag).not.toBe(tag);
    });

    it('when a read is private to a token, then it has an ETag and its 304 still says Cache-Control: no-store', async () => {
      const me = await t.app.inject({ url: '/api/me', headers: author.headers });
      expect(me.statusCode).toBe(200);
      expect(me.headers['cache-control']).toBe('no-store');
      const tag = me.headers.etag as string;
      expect(tag).toMatch(/^W\//);
      const again = await t.app.inject({ url: '/api/me', headers: { ...author.headers, 'if-none-match': tag } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers['cache-control']).toBe('no-store');
      expect(again.headers.etag).toBe(tag);
      // Another caller's answer differs, so the first caller's tag does not match it.
      const other = await signUp(t.app);
      expect((await t.app.inject({ url: '/api/me', headers: { ...other.headers, 'if-none-match': tag } })).statusCode).toBe(200);
    });

    it('when the answer is a write, an error or an operations route, then no ETag, and If-None-Match changes nothing', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/posts', headers: { ...author.headers, 'if-none-match': '*' }, payload: { content: 'a write' } });
      expect(created.statusCode).toBe(201);
      expect(created.headers.etag).toBeUndefined();
      const missing = await t.app.inject({ url: '/api/users/nobody0000', headers: { 'if-none-match': '*' } });
      expect(missing.statusCode).toBe(404);
      expect(missing.headers.etag).toBeUndefined();
      for (const url of ['/healthz', '/readyz', '/metrics']) {
        const res = await t.app.inject({ url, headers: { 'if-none-match': '*' } });
        expect(res.statusCode, url).toBe(200);
        expect(res.headers.etag, url).toBeUndefined();
      }
    });
  });

  it('when the OpenAPI document describes a read, then its 200 names the ETag (and Link, when paged) and it may answer 304', async () => {
    type Responses = Record<string, { headers?: Record<string, unknown> }>;
    const doc = (await t.app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, { responses: Responses }>> }>();
    const feed = doc.paths['/api/posts']!;
    expect(Object.keys(feed.get!.responses['200']!.headers ?? {})).toEqual(['ETag', 'Link']);
    expect(feed.get!.responses['304']).toBeDefined();
    expect(Object.keys(doc.paths['/api/posts/{id}']!.get!.responses['200']!.headers ?? {})).toEqual(['ETag']);
    expect(feed.post!.responses['201']!.headers).toBeUndefined();
    expect(feed.post!.responses['304']).toBeUndefined();
    expect(doc.paths['/healthz']!.get!.responses['304']).toBeUndefined();
  });

  describe('Link: rel="next"', () => {
    it('when the feed is paged with other parameters, then following Link walks the same pages as following next_cursor', async () => {
      const writer = await signUp(t.app);
      const word = `zébra${uniqueUsername('')}`;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push(await post(t.app, writer, `${word} walk number ${i}`));
      await post(t.app, writer, 'not part of the search');
      const first = `/api/posts?limit=2&q=${encodeURIComponent(`${word} walk`)}&author=${writer.username}`;

      const page = await t.app.inject(first);
      const cursor = page.json<Page>().next_cursor!;
      expect(page.headers.link).toBe(`</api/posts?limit=2&q=${encodeURIComponent(word)}+walk&author=${writer.username}&cursor=${encodeURIComponent(cursor)}>; rel="next"`);

      const byLink = await walk(t.app, first, 'link');
      const byCursor = await walk(t.app, first, 'next_cursor');
      expect(byLink).toEqual(byCursor);
      expect(byLink.ids).toEqual([...ids].reverse());
      expect(byLink.pages).toBe(4);
    });

    it('when followers are paged, then following Link walks all of them, as next_cursor does', async () => {
      const target = await signUp(t.app);
      const followers = await Promise.all(Array.from({ length: 5 }, () => signUp(t.app)));
      for (const follower of followers) {
        const res = await t.app.inject({ method: 'POST', url: `/api/users/${target.username}/follow`, headers: follower.headers });
        expect(res.statusCode).toBe(204);
      }
      const first = `/api/users/${target.username}/followers?limit=2`;
      const byLink = await walk(t.app, first, 'link');
      expect(byLink).toEqual(await walk(t.app, first, 'next_cursor'));
      expect(new Set(byLink.ids)).toEqual(new Set(followers.map((f) => f.id)));
      expect(byLink.pages).toBe(3);
    });

    it('when a cursor is already in the query, then Link replaces it rather than adding a second', async () => {
      const all = (await t.app.inject('/api/users?limit=1')).json<Page>();
      const second = await t.app.inject(`/api/users?cursor=${all.next_cursor}&limit=1`);
      const link = LINK.exec(second.headers.link as string)![1]!;
      const query = new URLSearchParams(link.split('?')[1]);
      expect(query.getAll('cursor')).toEqual([second.json<Page>().next_cursor]);
      expect(link.startsWith('/api/users?cursor=')).toBe(true);
    });

    it('when a blog embeds its first articles, then no Link: its articles_next_cursor belongs to another list', async () => {
      const articles = Array.from({ length: 11 }, (_, i) => ({ content: `article ${i}` }));
      const created = await t.app.inject({ method: 'POST', url: '/api/blogs', headers: author.headers, payload: { name: 'Paged', slug: `p-${uniqueUsername()}`, articles } });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ id: string }>().id;
      const blog = await t.app.inject(`/api/blogs/${id}?include=articles`);
      expect(blog.json<{ articles_next_cursor: string | null }>().articles_next_cursor).not.toBeNull();
      expect(blog.headers.link).toBeUndefined();
      const rest = await t.app.inject(`/api/blogs/${id}/articles`);
      expect(rest.headers.link).toMatch(new RegExp(`^</api/blogs/${id}/articles\\?cursor=[^>]+>; rel="next"$`));
    });
  });
});
