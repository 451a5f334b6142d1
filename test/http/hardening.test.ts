import { afterAll, beforeAll, expect, it } from 'vitest';
import { listingBody } from '../support/builders.js';
import { openTestApp, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';


const EMOJI = '\u{1F600}';

/**
 * Input that used to reach a store (NUL bytes, out-of-range numbers, impossible dates, UTF-16
 * lengths) is refused with a 400 problem before any store call, and nothing changes.
 */
describeEachStore('hostile input over HTTP', (kind) => {
  let t: TestApp;
  let me: Session;
  beforeAll(async () => {
    t = await openTestApp(kind);
    me = await signUp(t.app);
  });
  afterAll(() => t?.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const post = (url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { ...me.headers, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
  const myPosts = async () => (await get(`/api/posts?author=${me.username}&limit=100`)).json<{ items: unknown[] }>().items.length;
  const myListings = async () => (await get('/api/listings?limit=100')).json<{ items: unknown[] }>().items.length;

  it.each([
    ['a NUL in a path parameter', '/api/users/%00'],
    ['a NUL in a post id', '/api/posts/%00'],
    ['a NUL in the search text', '/api/posts?q=%00'],
    ['a control character in the author filter', '/api/posts?author=a%01b'],
    ['a NUL in a listing city filter', '/api/listings?city=Par%00is'],
    ['a NUL in a cursor', '/api/users?cursor=%00'],
  ])('when %s is sent, then 400 VALIDATION_FAILED names the field', async (_, url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    const doc = problemOf(res);
    expect(doc.code).toBe('VALIDATION_FAILED');
    expect(doc.errors?.length).toBeGreaterThan(0);
  });

  it('when the search text is a NUL, then nothing is matched or listed (400, not every post)', async () => {
    await post('/api/posts', { content: 'a post that NUL must not match' });
    expect((await get('/api/posts?q=%00')).statusCode).toBe(400);
  });

  it('when log-in or sign-up carries a NUL or a lone surrogate, then 400 and no account appears', async () => {
    for (const body of [
      { username: 'ab\u0000c', password: 'correct horse' },
      { username: me.username, password: 'pass\u0000word1' },
      { username: me.username, password: 'pass\ud800word1' },
    ]) {
      expect(problemOf(await post('/api/sessions', body)).code).toBe('VALIDATION_FAILED');
    }
    expect(problemOf(await post('/api/users', { username: 'nulname', password: 'bad\u0000password' })).code).toBe('VALIDATION_FAILED');
    expect((await get('/api/users/nulname')).statusCode).toBe(404);
  });

  it('when a post holds a control character or a lone surrogate, then 400 and no post is made', async () => {
    const before = await myPosts();
    for (const content of ['hello\u0000world', 'bell\u0007', 'half \ud83d emoji']) {
      expect(problemOf(await post('/api/posts', { content })).code).toBe('VALIDATION_FAILED');
    }
    expect(await myPosts()).toBe(before);
  });

  it('when a post is 777 emoji, then it is accepted; 778 are refused (characters, not UTF-16 units)', async () => {
    const ok = await post('/api/posts', { content: EMOJI.repeat(777) });
    expect(ok.statusCode).toBe(201);
    expect(Array.from(ok.json<{ content: string }>().content)).toHaveLength(777);
    const tooLong = await post('/api/posts', { content: EMOJI.repeat(778) });
    expect(problemOf(tooLong).code).toBe('VALIDATION_FAILED');
  });

  it('when a post is only whitespace and invisible format characters, then it is empty (400)', async () => {
    const before = await myPosts();
    for (const content of ['\u200b', ' \u200b\u200d\ufeff\u2060 ', '\t\n\u00a0\u200e']) {
      expect(problemOf(await post('/api/posts', { content })).code).toBe('VALIDATION_FAILED');
    }
    expect(await myPosts()).toBe(before);
  });

  it('when a post is wrapped in invisible characters, then they are trimmed and the text kept', async () => {
    const res = await post('/api/posts', { content: '\u200b  visible text \ufeff' });
    expect(res.statusCode).toBe(201);
    expect(res.json<{ content: string }>().content).toBe('visible text');
  });

  it.each([
    ['latest_price_eur', '1e309'],
    ['latest_price_eur', '-1e309'],
    ['latest_price_eur', '1e13'],
    ['surface_area_m2', '1e309'],
    ['rooms_count', '2147483648'],
    ['rooms_count', '17000000000000000000000'],
    ['bedrooms_count', '2147483648'],
    ['rooms_count', '1.5'],
  ])('when a listing has %s = %s, then 400 naming it, and nothing is stored', async (field, raw) => {
    const before = await myListings();
    const body = JSON.stringify(listingBody()).replace(new RegExp(`"${field}":[^,}]+`), `"${field}":${raw}`);
    const res = await post('/api/listings', body);
    const doc = problemOf(res);
    expect(res.statusCode).toBe(400);
    expect(doc.errors?.map((e) => e.field)).toContain(field);
    expect(await myListings()).toBe(before);
  });

  it('when a listing has the largest accepted numbers, then they come back exactly as sent', async () => {
    const res = await post('/api/listings', listingBody({ latest_price_eur: 1e12, surface_area_m2: 1e9, rooms_count: 10_000, bedrooms_count: 10_000 }));
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: string }>().id;
    const back = (await get(`/api/listings/${id}`)).json<Record<string, unknown>>();
    expect(back).toMatchObject({ latest_price_eur: 1e12, surface_area_m2: 1e9, rooms_count: 10_000, bedrooms_count: 10_000 });
    expect((await get(`/api/listings/${id}/prices`)).json()).toEqual([expect.objectContaining({ price_eur: 1e12 })]);
  });

  it('when a listing price filter is not finite or out of range, then 400', async () => {
    for (const url of ['/api/listings?min_price=1e309', '/api/listings?max_price=-1', '/api/listings?max_price=Infinity', '/api/listings?min_price=NaN']) {
      expect((await get(url)).statusCode, url).toBe(400);
    }
  });

  it.each([['from', '2024-02-30'], ['to', '2023-02-29'], ['from', '2024-13-01'], ['to', '2024-04-31T10:00:00Z'], ['from', '2024-01-01T25:00:00Z'], ['from', '2024-1-1']])(
    'when %s=%s is an impossible or malformed date, then 400 (not rolled over)',
    async (field, value) => {
      const res = await get(`/api/posts?${field}=${encodeURIComponent(value)}`);
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).errors?.map((e) => e.field)).toContain(field);
    },
  );

  it('when a cursor is any string the schema allows (32 hex digits), then it is a valid bound, never a 400', async () => {
    for (const cursor of ['0'.repeat(32), 'f'.repeat(32), '0123456789abcdef0123456789abcdef']) {
      for (const url of [`/api/posts?cursor=${cursor}`, `/api/users?cursor=${cursor}`, `/api/listings?cursor=${cursor}`, `/api/blogs?cursor=${cursor}`]) {
        expect((await get(url)).statusCode, url).toBe(200);
      }
    }
  });

  it('when the dates are real (a leap day, a date-time with an offset), then 200', async () => {
    for (const url of ['/api/posts?from=2024-02-29', '/api/posts?to=2024-02-29T23:59:59.999%2B02:00']) {
      expect((await get(url)).statusCode, url).toBe(200);
    }
  });
});
