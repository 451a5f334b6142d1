import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../internal/domain/shared/clock.js';
import { newId } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

interface PostBody {
  id: string;
  kind: string;
  content: string | null;
  author: { username: string };
  original: { id: string; kind: string; author: { username: string } } | null;
  repost_count: number;
  quote_count: number;
}

/**
 * A clock tests can move into the past (tokens issued now stay valid there); each test's
 * authors are fresh, so their days start empty.
 */
class MovableClock implements Clock {
  at: Date | null = null;
  now(): Date {
    return this.at ? new Date(this.at) : new Date();
  }
}

describeEachStore('posts and feeds over HTTP', (kind) => {
  let t: TestApp;
  const clock = new MovableClock();
  beforeAll(async () => {
    t = await openTestApp(kind, {}, { clock });
  });
  afterAll(() => t?.close());

  const create = (session: Session, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/posts', payload, headers: session.headers });
  const get = (url: string, headers = {}) => t.app.inject({ method: 'GET', url, headers });
  const postsCount = async (s: Session) => (await get(`/api/users/${s.username}`)).json().posts_count as number;
  const feed = async (query: string, headers = {}) => {
    const res = await get(`/api/posts?${query}`, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as PostBody[];
  };

  describe('creating', () => {
    it('when an original is posted, then 201 with Location, trimmed content and no original', async () => {
      const alice = await signUp(t.app);
      const res = await create(alice, { content: '  hello world  ' });
      expect(res.statusCode).toBe(201);
      const body = res.json<PostBody>();
      expect(res.headers.location).toBe(`/api/posts/${body.id}`);
      expect(body).toMatchObject({ kind: 'original', content: 'hello world', original: null, repost_count: 0, quote_count: 0 });
      expect(body.author.username).toBe(alice.username);
      expect((await get(`/api/posts/${body.id}`)).json()).toEqual(body);
    });

    it.each([
      ['empty content', { content: '' }, 'content'],
      ['only spaces', { content: '    ' }, 'content'],
      ['778 characters', { content: 'x'.repeat(778) }, 'content'],
      ['no content at all', {}, 'content'],
      ['an unknown field', { content: 'hi', mood: 'happy' }, 'mood'],
      ['a number for content', { content: 42 }, 'content'],
      ['a malformed repost_of', { repost_of: 'abc' }, 'repost_of'],
      ['a repost with content', { repost_of: newId(), content: 'hi' }, 'content'],
      ['both repost_of and quote_of', { repost_of: newId(), quote_of: newId(), content: 'x' }, 'quote_of'],
    ])('when the body has %s, then 400 naming the field and nothing is stored', async (_case, payload, field) => {
      const bob = await signUp(t.app);
      const res = await create(bob, payload);
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.field)).toContain(field);
      expect(await postsCount(bob)).toBe(0);
    });

    it('when the content is 777 characters, then it is accepted', async () => {
      const res = await create(await signUp(t.app), { content: 'y'.repeat(777) });
      expect(res.statusCode).toBe(201);
    });

    it('when there is no token, then 401 and nothing is stored', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/posts', payload: { content: 'anonymous' } });
      expect(res.statusCode).toBe(401);
      expect(problemOf(res).code).toBe('UNAUTHENTICATED');
    });
  });

  describe('reposts and quotes', () => {
    it('when a post is reposted and quoted, then they embed it and its counts rise', async () => {
      const alice = await signUp(t.app);
      const bob = await signUp(t.app);
      const original = (await create(alice, { content: 'original thought' })).json<PostBody>();
      const repost = await create(bob, { repost_of: original.id });
      expect(repost.statusCode).toBe(201);
      expect(repost.json()).toMatchObject({ kind: 'repost', content: null, original: { id: original.id, kind: 'original', author: { username: alice.username } } });
      const quote = await create(bob, { quote_of: original.id, content: 'my take' });
      expect(quote.json()).toMatchObject({ kind: 'quote', content: 'my take', original: { id: original.id } });
      expect((await get(`/api/posts/${original.id}`)).json()).toMatchObject({ repost_count: 1, quote_count: 1 });
      expect(await postsCount(bob)).toBe(2);
    });

    it('when reposting a repost, then 422 CANNOT_REPOST_A_REPOST; quoting a quote 422 CANNOT_QUOTE_A_QUOTE', async () => {
      const alice = await signUp(t.app);
      const bob = await signUp(t.app);
      const original = (await create(alice, { content: 'x' })).json<PostBody>();
      const repost = (await create(alice, { repost_of: original.id })).json<PostBody>();
      const quote = (await create(alice, { quote_of: original.id, content: 'q' })).json<PostBody>();
      const r1 = await create(bob, { repost_of: repost.id });
      expect(r1.statusCode).toBe(422);
      expect(problemOf(r1).code).toBe('CANNOT_REPOST_A_REPOST');
      const r2 = await create(bob, { quote_of: quote.id, content: 'qq' });
      expect(r2.statusCode).toBe(422);
      expect(problemOf(r2).code).toBe('CANNOT_QUOTE_A_QUOTE');
      expect((await create(bob, { quote_of: repost.id, content: 'quoting a repost is fine' })).statusCode).toBe(201);
      expect((await create(bob, { repost_of: quote.id })).statusCode).toBe(201);
      expect(await postsCount(bob)).toBe(2);
    });

    it('when reposting the same post twice, then 409 ALREADY_REPOSTED and one repost exists', async () => {
      const alice = await signUp(t.app);
      const bob = await signUp(t.app);
      const original = (await create(alice, { content: 'repost me once' })).json<PostBody>();
      expect((await create(bob, { repost_of: original.id })).statusCode).toBe(201);
      const again = await create(bob, { repost_of: original.id });
      expect(again.statusCode).toBe(409);
      expect(problemOf(again).code).toBe('ALREADY_REPOSTED');
      expect((await get(`/api/posts/${original.id}`)).json().repost_count).toBe(1);
      expect(await postsCount(bob)).toBe(1);
    });

    it('when the referenced post does not exist, then 422 REFERENCED_POST_NOT_FOUND', async () => {
      const res = await create(await signUp(t.app), { repost_of: newId() });
      expect(res.statusCode).toBe(422);
      expect(problemOf(res).code).toBe('REFERENCED_POST_NOT_FOUND');
    });

    it('when a post id is unknown or malformed, then 404 POST_NOT_FOUND', async () => {
      for (const id of [newId(), 'not-an-id']) {
        const res = await get(`/api/posts/${id}`);
        expect(res.statusCode).toBe(404);
        expect(problemOf(res).code).toBe('POST_NOT_FOUND');
      }
    });
  });

  describe('the daily limit', () => {
    it('when a sixth post is made in a UTC day, then 429 with Retry-After until midnight, and the next day is open', async () => {
      const carol = await signUp(t.app);
      clock.at = new Date('2025-03-04T23:59:00.000Z');
      try {
        const kinds = [{ content: 'one' }, { content: 'two' }, { content: 'three' }];
        const first = (await create(carol, kinds[0]!)).json<PostBody>();
        await create(carol, kinds[1]!);
        await create(carol, kinds[2]!);
        await create(carol, { quote_of: first.id, content: 'four' });
        await create(carol, { content: 'five' });
        const sixth = await create(carol, { content: 'six' });
        expect(sixth.statusCode).toBe(429);
        expect(problemOf(sixth).code).toBe('DAILY_POST_LIMIT_REACHED');
        expect(sixth.headers['retry-after']).toBe('60');
        expect(await postsCount(carol)).toBe(5);
        clock.at = new Date('2025-03-05T00:00:01.000Z');
        expect((await create(carol, { content: 'a new day' })).statusCode).toBe(201);
        expect(await postsCount(carol)).toBe(6);
      } finally {
        clock.at = null;
      }
    });

    it('when 20 posts arrive at once from one user, then exactly 5 are created and 15 get 429', async () => {
      const dave = await signUp(t.app);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => create(dave, { content: `burst ${i}` })));
      const statuses = results.map((r) => r.statusCode);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
      expect(await postsCount(dave)).toBe(5);
    });
  });

  describe('the feed', () => {
    it('when filtering by following, author, dates and text, then only matching posts come, newest first', async () => {
      const reader = await signUp(t.app);
      const followed = await signUp(t.app);
      const stranger = await signUp(t.app);
      await t.app.inject({ method: 'POST', url: `/api/users/${followed.username}/follow`, headers: reader.headers });
      const word = `Kiwi${Math.random().toString(36).slice(2, 8)}`;
      clock.at = new Date('2025-01-10T12:00:00.000Z');
      const p1 = (await create(followed, { content: `I like ${word}s` })).json<PostBody>();
      clock.at = new Date('2025-01-11T12:00:00.000Z');
      const p2 = (await create(stranger, { content: 'nothing to see' })).json<PostBody>();
      clock.at = new Date('2025-01-12T12:00:00.000Z');
      const p3 = (await create(followed, { quote_of: p2.id, content: `${word.toUpperCase()} again` })).json<PostBody>();
      clock.at = new Date('2025-01-12T13:00:00.000Z');
      const p4 = (await create(stranger, { repost_of: p1.id })).json<PostBody>();
      clock.at = null;

      const ids = (items: PostBody[]) => items.map((p) => p.id);
      expect(ids(await feed('following=true', reader.headers))).toEqual([p3.id, p1.id]);
      expect(ids(await feed(`author=${stranger.username}`))).toEqual([p4.id, p2.id]);
      expect(ids(await feed(`q=${word.toLowerCase()}`))).toEqual([p3.id, p1.id]);
      expect(ids(await feed(`author=${followed.username}&from=2025-01-11&to=2025-01-12`))).toEqual([p3.id]);
      expect(ids(await feed(`author=${followed.username}&to=2025-01-10T12:00:00.000Z`))).toEqual([p1.id]);
      // The unfiltered feed, within these posts' two days (Neo4j's one database holds other suites' posts too).
      const all = ids(await feed('from=2025-01-10T12:00:00.000Z&to=2025-01-12T13:00:00.000Z&limit=100'));
      expect(all.filter((id) => [p1.id, p2.id, p3.id, p4.id].includes(id))).toEqual([p4.id, p3.id, p2.id, p1.id]);
    });

    it('when the feed is paged, then next_cursor walks it without duplicates', async () => {
      const writer = await signUp(t.app);
      const made: string[] = [];
      for (let i = 0; i < 5; i++) made.push((await create(writer, { content: `page ${i}` })).json<PostBody>().id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/posts?author=${writer.username}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.json().items.map((p: PostBody) => p.id));
        cursor = res.json().next_cursor;
      } while (cursor);
      expect(seen).toEqual([...made].reverse());
    });

    it.each([
      ['following=true without a token', 'following=true', 401],
      ['an unknown author', 'author=nobody0000000', 404],
      ['a bad date', 'from=yesterday', 400],
      ['from after to', 'from=2030-01-02&to=2030-01-01', 422],
      ['an impossible date', 'from=2030-02-31T99:00:00Z', 400],
      ['limit=0', 'limit=0', 400],
      ['limit=101', 'limit=101', 400],
      ['a bad cursor', 'cursor=%%%', 400],
      ['an unknown parameter', 'sort=asc', 400],
    ])('when the feed gets %s, then %i', async (_case, query, status) => {
      const res = await get(`/api/posts?${query}`);
      expect(res.statusCode).toBe(status);
      problemOf(res);
    });
  });
});
