import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASSWORD, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

describeEachStore('log-out and private answers over HTTP', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
  });
  afterAll(() => t?.close());

  const get = (url: string, headers = {}) => t.app.inject({ method: 'GET', url, headers });
  const del = (url: string, headers = {}) => t.app.inject({ method: 'DELETE', url, headers });

  /** Another log-in of the same user: a second token, a second session. */
  async function logInAgain(session: Session): Promise<{ authorization: string }> {
    const res = await t.app.inject({ method: 'POST', url: '/api/sessions', payload: { username: session.username, password: PASSWORD } });
    expect(res.statusCode).toBe(201);
    return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
  }

  function expectUnauthenticated(res: Awaited<ReturnType<typeof get>>): void {
    expect(res.statusCode).toBe(401);
    expect(problemOf(res).code).toBe('UNAUTHENTICATED');
  }

  describe('log out', () => {
    it('when a user logs out, then that token is 401 at once and another token of the same user still works', async () => {
      const alice = await signUp(t.app);
      const laptop = await logInAgain(alice);
      expect((await get('/api/me', alice.headers)).statusCode).toBe(200);

      const res = await del('/api/sessions/current', alice.headers);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');

      expectUnauthenticated(await get('/api/me', alice.headers));
      expectUnauthenticated(await t.app.inject({ method: 'POST', url: '/api/posts', payload: { content: 'after log-out' }, headers: alice.headers }));
      expectUnauthenticated(await del('/api/sessions/current', alice.headers));
      // The feed confirms a token's session itself, in the page's own store call where it can.
      for (const url of ['/api/posts?following=true', `/api/posts?following=true&author=${alice.username}`, '/api/posts?following=true&q=x', '/api/posts']) {
        expectUnauthenticated(await get(url, alice.headers));
        expect((await get(url, laptop)).statusCode, url).toBe(200);
      }
      const me = await get('/api/me', laptop);
      expect(me.statusCode).toBe(200);
      expect(me.json().username).toBe(alice.username);
    });

    it('when a user logs out everywhere, then all of their tokens are 401 and other users are untouched', async () => {
      const alice = await signUp(t.app);
      const laptop = await logInAgain(alice);
      const bob = await signUp(t.app);

      const res = await del('/api/sessions', laptop);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');

      for (const headers of [alice.headers, laptop]) {
        expectUnauthenticated(await get('/api/me', headers));
        expectUnauthenticated(await del('/api/sessions', headers));
      }
      expect((await get('/api/me', bob.headers)).statusCode).toBe(200);
      const fresh = await logInAgain(alice);
      expect((await get('/api/me', fresh)).statusCode).toBe(200);
    });

    it.each([['/api/sessions/current'], ['/api/sessions']])('when %s is deleted without a token or with a forged one, then a 401 problem', async (url) => {
      const alice = await signUp(t.app);
      const forged = `${alice.token.split('.')[0]}.AAAA${alice.token.split('.')[1]!.slice(4)}`;
      for (const headers of [{}, { authorization: `Bearer ${forged}` }, { authorization: 'Basic abc' }]) {
        expectUnauthenticated(await del(url, headers));
      }
      expect((await get('/api/me', alice.headers)).statusCode).toBe(200);
    });

    it('when log-out has an unknown query field, then 400 and the session lives on', async () => {
      const alice = await signUp(t.app);
      const res = await del('/api/sessions/current?everywhere=true', alice.headers);
      expect(res.statusCode).toBe(400);
      expect(problemOf(res).code).toBe('VALIDATION_FAILED');
      expect((await get('/api/me', alice.headers)).statusCode).toBe(200);
    });
  });

  describe('Cache-Control: no-store', () => {
    it('when logging in, then the answer carrying the token is no-store', async () => {
      const alice = await signUp(t.app);
      const res = await t.app.inject({ method: 'POST', url: '/api/sessions', payload: { username: alice.username, password: PASSWORD } });
      expect(res.statusCode).toBe(201);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it("when reading /api/me, then the caller's profile is no-store", async () => {
      const alice = await signUp(t.app);
      const res = await get('/api/me', alice.headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('when any request carries a valid bearer token, then its answer is no-store; a public read without one is not', async () => {
      const alice = await signUp(t.app);
      const answers = [
        await get('/api/posts?limit=1', alice.headers),
        await get(`/api/users/${alice.username}`, alice.headers),
        await t.app.inject({ method: 'POST', url: '/api/posts', payload: { content: 'private answer' }, headers: alice.headers }),
        await get('/api/posts/not-a-post', alice.headers),
        await del('/api/sessions/current', alice.headers),
      ];
      expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 201, 404, 204]);
      for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
      expect((await get('/api/users?limit=1')).headers['cache-control']).toBeUndefined();
    });
  });
});
