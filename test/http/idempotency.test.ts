import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../internal/domain/shared/clock.js';
import { listingBody, newId } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

/** A clock tests move into the past (tokens issued now stay valid there). */
class MovableClock implements Clock {
  at: Date | null = null;
  now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
}

const newKey = () => `k-${randomBytes(12).toString('hex')}`;
const slug = () => `idem-${randomBytes(5).toString('hex')}`;
const DAY = 86_400_000;

interface Operation {
  parameters?: Array<{ in: string; name: string; required?: boolean; schema: { maxLength?: number } }>;
  responses: Record<string, unknown>;
}

describeEachStore('Idempotency-Key over HTTP', (kind) => {
  let t: TestApp;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await openTestApp(kind, { DAILY_POST_LIMIT: '2' }, { clock });
  });
  afterAll(() => t?.close());

  const send = (session: Session | null, url: string, payload: object, key?: string) =>
    t.app.inject({ method: 'POST', url, payload, headers: { ...session?.headers, ...(key === undefined ? {} : { 'idempotency-key': key }) } });
  const post = (session: Session, payload: object, key?: string) => send(session, '/api/posts', payload, key);
  const postsCount = async (s: Session) => (await t.app.inject(`/api/users/${s.username}`)).json<{ posts_count: number }>().posts_count;

  /** The second answer is the first one replayed: same status, body and Location, marked as such. */
  function expectReplay(first: LightMyRequestResponse, again: LightMyRequestResponse): void {
    expect(again.statusCode, again.body).toBe(first.statusCode);
    expect(again.body).toBe(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.headers['content-type']).toBe(first.headers['content-type']);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
  }

  describe('posts', () => {
    it('when a post is retried with its key, then the first 201 comes back and one post, one daily slot, is spent', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const first = await post(alice, { content: 'hello once' }, key);
      expect(first.statusCode, first.body).toBe(201);
      expect(first.headers.location).toBe(`/api/posts/${first.json<{ id: string }>().id}`);
      expectReplay(first, await post(alice, { content: 'hello once' }, key));
      expectReplay(first, await post(alice, { content: 'hello once' }, key));
      expect(await postsCount(alice)).toBe(1);
      // DAILY_POST_LIMIT is 2 here: one slot is left, then the limit.
      expect((await post(alice, { content: 'second' })).statusCode).toBe(201);
      expect(problemOf(await post(alice, { content: 'third' })).code).toBe('DAILY_POST_LIMIT_REACHED');
    });

    it('when the key comes back with another body, then 422 IDEMPOTENCY_KEY_REUSED and nothing is created', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      expect((await post(alice, { content: 'first body' }, key)).statusCode).toBe(201);
      const reused = await post(alice, { content: 'another body' }, key);
      expect(reused.statusCode).toBe(422);
      expect(problemOf(reused).code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(await postsCount(alice)).toBe(1);
    });

    it('when the same body comes with its fields in another order, then it is the same request', async () => {
      const alice = await signUp(t.app);
      const original = (await post(alice, { content: 'original' })).json<{ id: string }>();
      const key = newKey();
      const first = await post(alice, { quote_of: original.id, content: 'my take' }, key);
      expect(first.statusCode, first.body).toBe(201);
      expectReplay(first, await post(alice, { content: 'my take', quote_of: original.id }, key));
      expect(await postsCount(alice)).toBe(2);
    });

    it('when another user sends the same key, then it is a key of their own', async () => {
      const alice = await signUp(t.app);
      const bob = await signUp(t.app);
      const key = newKey();
      const mine = await post(alice, { content: 'same words' }, key);
      const theirs = await post(bob, { content: 'same words' }, key);
      expect(theirs.statusCode, theirs.body).toBe(201);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.json<{ id: string }>().id).not.toBe(mine.json<{ id: string }>().id);
      expect(await postsCount(bob)).toBe(1);
    });

    it('when no key is sent, then every request creates, as before', async () => {
      const alice = await signUp(t.app);
      const a = await post(alice, { content: 'twice' });
      const b = await post(alice, { content: 'twice' });
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(a.json<{ id: string }>().id).not.toBe(b.json<{ id: string }>().id);
      expect(b.headers['idempotent-replayed']).toBeUndefined();
      expect(await postsCount(alice)).toBe(2);
    });

    it('when 10 requests with one key arrive at once, then one post exists and each answer is that 201 or 409 IDEMPOTENCY_IN_PROGRESS', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(alice, { content: 'racing' }, key)));
      const created = answers.filter((r) => r.statusCode === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      const ids = new Set(created.map((r) => r.json<{ id: string }>().id));
      expect(ids.size).toBe(1);
      expect(created.filter((r) => r.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
      for (const r of answers.filter((a) => a.statusCode !== 201)) {
        expect(r.statusCode, r.body).toBe(409);
        expect(problemOf(r).code).toBe('IDEMPOTENCY_IN_PROGRESS');
        expect(r.headers['retry-after']).toBe('1');
      }
      expect(await postsCount(alice)).toBe(1);
      const later = await post(alice, { content: 'racing' }, key);
      expect(later.statusCode).toBe(201);
      expect(later.json<{ id: string }>().id).toBe([...ids][0]);
    });

    it('when a refusal is a rule of the request (422), then a retry gets the same refusal', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const body = { quote_of: newId(), content: 'quoting nothing' };
      const first = await post(alice, body, key);
      expect(problemOf(first).code).toBe('REFERENCED_POST_NOT_FOUND');
      expectReplay(first, await post(alice, body, key));
    });

    it('when the daily limit refuses a keyed post (429), then the key is not kept, and the same request succeeds the next day', async () => {
      const alice = await signUp(t.app);
      clock.at = new Date('2025-02-10T12:00:00.000Z');
      try {
        await post(alice, { content: 'one' });
        await post(alice, { content: 'two' });
        const key = newKey();
        const refused = await post(alice, { content: 'three' }, key);
        expect(problemOf(refused).code).toBe('DAILY_POST_LIMIT_REACHED');
        expect((await post(alice, { content: 'three' }, key)).statusCode).toBe(429);
        clock.at = new Date('2025-02-11T00:00:01.000Z');
        const next = await post(alice, { content: 'three' }, key);
        expect(next.statusCode, next.body).toBe(201);
        expect(next.headers['idempotent-replayed']).toBeUndefined();
        expectReplay(next, await post(alice, { content: 'three' }, key));
      } finally {
        clock.at = null;
      }
    });

    it('when 24 hours have passed since the first request, then the key is forgotten and the request runs again', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const start = new Date('2025-02-20T12:00:00.000Z');
      try {
        clock.at = start;
        const first = await post(alice, { content: 'daily note' }, key);
        clock.at = new Date(start.getTime() + DAY - 1);
        expectReplay(first, await post(alice, { content: 'daily note' }, key));
        clock.at = new Date(start.getTime() + DAY);
        const again = await post(alice, { content: 'daily note' }, key);
        expect(again.statusCode).toBe(201);
        expect(again.headers['idempotent-replayed']).toBeUndefined();
        expect(again.json<{ id: string }>().id).not.toBe(first.json<{ id: string }>().id);
      } finally {
        clock.at = null;
      }
    });

    it.each([
      ['empty', ''],
      ['256 characters', 'x'.repeat(256)],
      ['not ASCII', 'clé'],
      ['a control character', 'a\tb'],
      ['only spaces', '   '],
    ])('when the key is %s, then 400 INVALID_IDEMPOTENCY_KEY and nothing is created', async (_case, key) => {
      const alice = await signUp(t.app);
      const res = await post(alice, { content: 'bad key' }, key);
      expect(res.statusCode, res.body).toBe(400);
      expect(problemOf(res).code).toBe('INVALID_IDEMPOTENCY_KEY');
      expect(await postsCount(alice)).toBe(0);
    });

    it('when the key is 255 printable characters, inner spaces and punctuation included, then it works', async () => {
      const alice = await signUp(t.app);
      const key = `${'! "#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'}${randomBytes(16).toString('hex')}`.padEnd(255, 'z');
      const first = await post(alice, { content: 'odd key' }, key);
      expect(first.statusCode, first.body).toBe(201);
      expectReplay(first, await post(alice, { content: 'odd key' }, key));
    });

    it('when the request has no token, then 401 and the key is not touched', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      expect((await send(null, '/api/posts', { content: 'anon' }, key)).statusCode).toBe(401);
      expect((await post(alice, { content: 'mine' }, key)).statusCode).toBe(201);
    });
  });

  describe('blogs, articles and listings', () => {
    it('when a blog creation is retried, then the first 201 comes back and one blog exists', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const body = { name: 'Once', slug: slug(), articles: [{ title: 'One', content: 'x'.repeat(3000) }] };
      const first = await send(alice, '/api/blogs', body, key);
      expect(first.statusCode, first.body).toBe(201);
      // The article makes the answer big enough to be compressed when asked: stored and replayed uncompressed.
      const again = await t.app.inject({ method: 'POST', url: '/api/blogs', payload: body, headers: { ...alice.headers, 'idempotency-key': key, 'accept-encoding': 'identity' } });
      expectReplay(first, again);
      const blogs = await t.app.inject(`/api/blogs?owner=${alice.username}`);
      expect(blogs.json<{ items: unknown[] }>().items).toHaveLength(1);
    });

    it('when a compressed answer is stored, then its retry gets the same resource', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const body = { name: 'Zipped', slug: slug(), articles: [{ content: 'y'.repeat(5000) }] };
      const headers = { ...alice.headers, 'idempotency-key': key, 'accept-encoding': 'gzip' };
      const first = await t.app.inject({ method: 'POST', url: '/api/blogs', payload: body, headers });
      expect(first.statusCode).toBe(201);
      const plain = await t.app.inject({ method: 'POST', url: '/api/blogs', payload: body, headers: { ...headers, 'accept-encoding': 'identity' } });
      expect(plain.statusCode, plain.body).toBe(201);
      expect(plain.headers['idempotent-replayed']).toBe('true');
      expect(plain.headers.location).toBe(first.headers.location);
      expect(plain.headers.location).toBe(`/api/blogs/${plain.json<{ id: string }>().id}`);
    });

    it('when an article is added twice with one key, then one article exists; the key on another route is another request', async () => {
      const alice = await signUp(t.app);
      const blog = (await send(alice, '/api/blogs', { name: 'Notes', slug: slug() })).json<{ id: string }>();
      const key = newKey();
      const first = await send(alice, `/api/blogs/${blog.id}/articles`, { content: 'one article' }, key);
      expect(first.statusCode, first.body).toBe(201);
      expectReplay(first, await send(alice, `/api/blogs/${blog.id}/articles`, { content: 'one article' }, key));
      const articles = await t.app.inject(`/api/blogs/${blog.id}/articles`);
      expect(articles.json<{ items: unknown[] }>().items).toHaveLength(1);
      expect(problemOf(await post(alice, { content: 'one article' }, key)).code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('when a listing creation is retried, then the first 201 comes back and one listing exists', async () => {
      const alice = await signUp(t.app);
      const key = newKey();
      const city = `Idem${randomBytes(4).toString('hex')}`;
      const body = listingBody({ postal_address: { street_address: '1 rue Neuve', postal_code: '69001', city, country: 'FR' } });
      const first = await send(alice, '/api/listings', body, key);
      expect(first.statusCode, first.body).toBe(201);
      expectReplay(first, await send(alice, '/api/listings', body, key));
      const listings = await t.app.inject(`/api/listings?city=${city}`);
      expect(listings.json<{ items: unknown[] }>().items).toHaveLength(1);
      expect((await send(alice, '/api/listings', { ...body, latest_price_eur: 1 }, key)).statusCode).toBe(422);
    });
  });

  it('when OpenAPI describes the routes, then every POST that creates takes the optional header and may answer 409 and 422; no other route does', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json<{ paths: Record<string, Record<string, Operation>> }>();
    const header = (op: Operation) => op.parameters?.find((p) => p.in === 'header' && p.name === 'idempotency-key');
    for (const path of ['/api/posts', '/api/blogs', '/api/blogs/{id}/articles', '/api/listings']) {
      const op = doc.paths[path]!.post!;
      expect(header(op), path).toMatchObject({ required: false, schema: { maxLength: 255 } });
      expect(op.responses['409'], path).toBeDefined();
      expect(op.responses['422'], path).toBeDefined();
    }
    for (const path of ['/api/users', '/api/sessions', '/api/users/{username}/follow']) expect(header(doc.paths[path]!.post!), path).toBeUndefined();
    expect(header(doc.paths['/api/posts']!.get!)).toBeUndefined();
  });
});
