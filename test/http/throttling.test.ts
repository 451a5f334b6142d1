import { afterEach, expect, it } from 'vitest';
import { uniqueUsername } from '../support/builders.js';
import { openTestApp, PASSWORD, problemOf, type TestApp } from '../support/http.js';
import { describeEachStore } from '../support/store-matrix.js';

describeEachStore(
  'throttling',
  () => {
    let t: TestApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    const signUpFrom = (app: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
      app.app.inject({ method: 'POST', url: '/api/users', remoteAddress, headers, payload: { username: uniqueUsername(), password: PASSWORD } });
    const logIn = (app: TestApp, username: string, password: string, remoteAddress = '192.0.2.1') =>
      app.app.inject({ method: 'POST', url: '/api/sessions', remoteAddress, payload: { username, password } });

    it('when one address signs up more than the default 10 a minute, then 429 RATE_LIMITED with Retry-After, and another address still can', async () => {
      // '' is "unset": the defaults apply, as on a fresh deployment.
      t = await openTestApp('sqlite', { AUTH_RATE_LIMIT_PER_MINUTE: '' });
      for (let i = 0; i < 10; i++) expect((await signUpFrom(t, '192.0.2.10')).statusCode).toBe(201);
      const refused = await signUpFrom(t, '192.0.2.10');
      expect(refused.statusCode).toBe(429);
      expect(problemOf(refused).code).toBe('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await signUpFrom(t, '192.0.2.11')).statusCode).toBe(201);
    });

    it('when one address logs in more than the limit, then 429, whatever the username', async () => {
      t = await openTestApp('sqlite', { AUTH_RATE_LIMIT_PER_MINUTE: '3' });
      for (let i = 0; i < 3; i++) expect((await logIn(t, uniqueUsername(), 'wrong password')).statusCode).toBe(401);
      expect(problemOf(await logIn(t, uniqueUsername(), 'wrong password')).code).toBe('RATE_LIMITED');
    });

    it('when one username fails to log in past the limit, then even the right password waits (429 with Retry-After); other usernames are not affected', async () => {
      t = await openTestApp('sqlite', { LOGIN_FAILURE_LIMIT: '3' });
      const victim = uniqueUsername();
      const bystander = uniqueUsername();
      for (const username of [victim, bystander]) {
        await t.app.inject({ method: 'POST', url: '/api/users', payload: { username, password: PASSWORD } });
      }
      for (let i = 0; i < 3; i++) expect((await logIn(t, victim, 'wrong password', `198.51.100.${i}`)).statusCode).toBe(401);
      const locked = await logIn(t, victim.toUpperCase(), PASSWORD, '198.51.100.99');
      expect(locked.statusCode).toBe(429);
      expect(problemOf(locked).code).toBe('TOO_MANY_FAILED_LOGINS');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      expect((await logIn(t, bystander, PASSWORD)).statusCode).toBe(201);
    });

    it('when a global limit is set, then API routes are throttled but /healthz, /readyz and /metrics never are', async () => {
      t = await openTestApp('sqlite', { RATE_LIMIT_PER_MINUTE: '2' });
      for (let i = 0; i < 5; i++) {
        for (const url of ['/healthz', '/readyz', '/metrics']) expect((await t.app.inject({ url })).statusCode, url).toBe(200);
      }
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await t.app.inject({ url: '/api/users' })).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    });

    it('when TRUST_PROXY=true, then the client address comes from X-Forwarded-For; without it the header is ignored', async () => {
      t = await openTestApp('sqlite', { AUTH_RATE_LIMIT_PER_MINUTE: '1', TRUST_PROXY: 'true' });
      expect((await signUpFrom(t, '10.0.0.1', { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(201);
      expect((await signUpFrom(t, '10.0.0.1', { 'x-forwarded-for': '203.0.113.2' })).statusCode).toBe(201);
      expect((await signUpFrom(t, '10.0.0.1', { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(429);
      await t.close();

      t = await openTestApp('sqlite', { AUTH_RATE_LIMIT_PER_MINUTE: '1' });
      expect((await signUpFrom(t, '10.0.0.1', { 'x-forwarded-for': '203.0.113.1' })).statusCode).toBe(201);
      expect((await signUpFrom(t, '10.0.0.1', { 'x-forwarded-for': '203.0.113.2' })).statusCode).toBe(429);
    });

    it('when more password hashes are asked for than run and wait, then the rest answer 503 OVERLOADED with Retry-After at once', async () => {
      t = await openTestApp('sqlite', { PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1', PASSWORD_HASH_LOG2_COST: '14' });
      const app = t;
      const answers = await Promise.all(Array.from({ length: 12 }, () => logIn(app, uniqueUsername(), 'wrong password')));
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(2);
      const busy = answers.filter((a) => a.statusCode === 503);
      expect(busy).toHaveLength(10);
      expect(problemOf(busy[0]!).code).toBe('OVERLOADED');
      expect(busy[0]!.headers['retry-after']).toBe('1');
    });
  },
  ['sqlite'],
);
