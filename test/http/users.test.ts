import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueUsername } from '../support/builders.js';
import { openTestApp, PASSWORD, problemOf, signUp, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

describeEachStore('users, sessions and follows over HTTP', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: unknown, headers = {}) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
  const get = (url: string, headers = {}) => t.app.inject({ method: 'GET', url, headers });
  const userCount = async (username: string) => (await get(`/api/users/${username}`)).statusCode;

  describe('sign-up', () => {
    it('when the input is valid, then it answers 201 with the user, a Location and no password', async () => {
      const username = uniqueUsername('Sign');
      const res = await post('/api/users', { username, password: PASSWORD });
      expect(res.statusCode).toBe(201);
      expect(res.headers.location).toBe(`/api/users/${username}`);
      expect(res.headers['x-request-id']).toBeTruthy();
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['id', 'joined_at', 'username']);
      expect(body.joined_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    });

    it('when the password is 128 characters outside the BMP, then sign-up and log-in take it', async () => {
      const username = uniqueUsername('Astral');
      const password = '\u{1F60D}'.repeat(127) + 'x';
      expect((await post('/api/users', { username, password })).statusCode).toBe(201);
      expect((await post('/api/sessions', { username, password })).statusCode).toBe(201);
      expect((await post('/api/users', { username: uniqueUsername('Astral'), password: `${password}y` })).statusCode).toBe(400);
    });

    it('when the username is taken in another case, then 409 USERNAME_TAKEN', async () => {
      const { username } = await signUp(t.app);
      const res = await post('/api/users', { username: username.toUpperCase(), password: PASSWORD });
      expect(res.statusCode).toBe(409);
      expect(problemOf(res).code).toBe('USERNAME_TAKEN');
    });

    it.each([
      ['a username with a space', { username: 'has space', password: PASSWORD }, 'username'],
      ['a 15-character username', { username: 'a'.repeat(15), password: PASSWORD }, 'username'],
      ['an empty username', { username: '', password: PASSWORD }, 'username'],
      ['a 7-character password', { username: 'ok1', password: '1234567' }, 'password'],
      ['a 129-character password', { username: 'ok2', password: 'p'.repeat(129) }, 'password'],
      ['a number for a username', { username: 12345, password: PASSWORD }, 'username'],
      ['a huge username', { username: 'x'.repeat(100_000), password: PASSWORD }, 'username'],
      ['an unknown field', { username: 'ok3', password: PASSWORD, admin: true }, 'admin'],
      ['a missing password', { username: 'ok4' }, 'password'],
    ])('when the body has %s, then 400 naming the field and nothing is created', async (_case, body, field) => {
      const res = await post('/api/users', body);
      expect(res.statusCode).toBe(400);
      const problem = problemOf(res);
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.field)).toContain(field);
      const name = (body as { username?: unknown }).username;
      if (typeof name === 'string' && /^[A-Za-z0-9]{1,14}$/.test(name)) expect(await userCount(name)).toBe(404);
    });

    it('when the body is over 1 MiB, then 413 BODY_TOO_LARGE', async () => {
      const res = await post('/api/users', { username: 'big', password: 'x'.repeat(2 * 1024 * 1024) });
      expect(res.statusCode).toBe(413);
      expect(problemOf(res).code).toBe('BODY_TOO_LARGE');
    });

    it('when the body is not JSON, then 415', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { 'content-type': 'application/xml' }, payload: '<user/>' });
      expect(res.statusCode).toBe(415);
      expect(problemOf(res).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('when the body is malformed JSON, then 400 MALFORMED_JSON', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { 'content-type': 'application/json' }, payload: '{"username": "x",' });
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).code).toBe('MALFORMED_JSON');
    });
  });

  describe('log-in', () => {
    it('when the password is right, then 201 with a bearer token that opens /api/me', async () => {
      const username = uniqueUsername();
      await post('/api/users', { username, password: PASSWORD });
      const res = await post('/api/sessions', { username: username.toUpperCase(), password: PASSWORD });
      expect(res.statusCode).toBe(201);
      const body = res.json();
      expect(body.token_type).toBe('Bearer');
      expect(body.expires_in).toBeGreaterThan(0);
      expect(body.user.username).toBe(username);
      const me = await get('/api/me', { authorization: `Bearer ${body.token}` });
      expect(me.statusCode).toBe(200);
      expect(me.json().username).toBe(username);
    });

    it('when the password is wrong or the user unknown, then the same 401 INVALID_CREDENTIALS', async () => {
      const { username } = await signUp(t.app);
      const wrong = await post('/api/sessions', { username, password: 'not the password' });
      const unknown = await post('/api/sessions', { username: uniqueUsername(), password: PASSWORD });
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(problemOf(res).code).toBe('INVALID_CREDENTIALS');
      }
      expect({ ...wrong.json(), instance: '' }).toEqual({ ...unknown.json(), instance: '' });
    });

    it('when /api/me has no token or a forged one, then 401', async () => {
      const { token } = await signUp(t.app);
      const forged = `${token.split('.')[0]}.AAAA${token.split('.')[1]!.slice(4)}`;
      for (const headers of [{}, { authorization: `Bearer ${forged}` }, { authorization: 'Basic abc' }]) {
        const res = await get('/api/me', headers);
        expect(res.statusCode).toBe(401);
        expect(problemOf(res).code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('profiles and lists', () => {
    it('when listing users, then pages are newest first and the cursor continues without gaps', async () => {
      const mine: string[] = [];
      for (let i = 0; i < 3; i++) mine.push((await signUp(t.app)).username);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode).toBe(200);
        const body = res.json();
        seen.push(...body.items.map((u: { username: string }) => u.username));
        cursor = body.next_cursor;
      } while (cursor);
      expect(seen.filter((u) => mine.includes(u))).toEqual([...mine].reverse());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it.each([['limit=0'], ['limit=1000'], ['limit=abc'], ['cursor=bm90LWEtY3Vyc29y'], ['limt=5']])(
      'when the list query has %s, then 400',
      async (query) => {
        const res = await get(`/api/users?${query}`);
        expect(res.statusCode).toBe(400);
        expect(problemOf(res).code).toBe('VALIDATION_FAILED');
      },
    );

    it('when a profile is read, then it has the counts, and followed_by_me only with a token', async () => {
      const alice = await signUp(t.app);
      const bob = await signUp(t.app);
      await post(`/api/users/${alice.username}/follow`, undefined, bob.headers);
      await post('/api/posts', { content: 'hi' }, alice.headers);
      const anonymous = await get(`/api/users/${alice.username}`);
      expect(anonymous.json()).toMatchObject({ username: alice.username, followers_count: 1, following_count: 0, posts_count: 1 });
      expect(anonymous.json()).not.toHaveProperty('followed_by_me');
      expect((await get(`/api/users/${alice.username.toUpperCase()}`, bob.headers)).json().followed_by_me).toBe(true);
      expect((await get(`/api/users/${bob.username}`, alice.headers)).json().followed_by_me).toBe(false);
      expect((await get(`/api/users/${uniqueUsername()}`)).statusCode).toBe(404);
    });
  });

  describe('follows', () => {
    it('when following twice and unfollowing twice, then 204 each time and the counts move once', async () => {
      const a = await signUp(t.app);
      const b = await signUp(t.app);
      for (let i = 0; i < 2; i++) {
        const res = await post(`/api/users/${b.username}/follow`, undefined, a.headers);
        expect(res.statusCode).toBe(204);
        expect(res.body).toBe('');
      }
      expect((await get(`/api/users/${b.username}`)).json().followers_count).toBe(1);
      const followers = (await get(`/api/users/${b.username}/followers`)).json();
      expect(followers.items.map((u: { username: string }) => u.username)).toEqual([a.username]);
      const following = (await get(`/api/users/${a.username}/following`)).json();
      expect(following.items.map((u: { username: string }) => u.username)).toEqual([b.username]);
      for (let i = 0; i < 2; i++) {
        const res = await t.app.inject({ method: 'DELETE', url: `/api/users/${b.username}/follow`, headers: a.headers });
        expect(res.statusCode).toBe(204);
      }
      expect((await get(`/api/users/${b.username}`)).json().followers_count).toBe(0);
    });

    it('when following oneself, then 422 CANNOT_FOLLOW_SELF; unknown user 404; no token 401', async () => {
      const a = await signUp(t.app);
      const self = await post(`/api/users/${a.username}/follow`, undefined, a.headers);
      expect(self.statusCode).toBe(422);
      expect(problemOf(self).code).toBe('CANNOT_FOLLOW_SELF');
      const unknown = await post(`/api/users/${uniqueUsername()}/follow`, undefined, a.headers);
      expect(unknown.statusCode).toBe(404);
      expect(problemOf(unknown).code).toBe('USER_NOT_FOUND');
      expect((await post(`/api/users/${a.username}/follow`, undefined)).statusCode).toBe(401);
      expect((await get(`/api/users/${a.username}`)).json()).toMatchObject({ followers_count: 0, following_count: 0 });
    });
  });
});
