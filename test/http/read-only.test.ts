import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASSWORD, problemOf, signUp, type Session, type TestApp } from '../support/http.js';
import { testConfig } from '../support/store-matrix.js';
import { buildApp } from '../../internal/app/http/app.js';
import type { FastifyInstance } from 'fastify';

describe('READ_ONLY=true (a move to another store)', () => {
  let writable: TestApp;
  let readOnly: FastifyInstance;
  let alice: Session;
  let postId: string;
  beforeAll(async () => {
    // One SQLite file: a writable service writes the data, a read-only one serves the same file.
    writable = await openTestApp('sqlite', { SQLITE_PATH: `/tmp/agora-read-only-${process.pid}.db` });
    alice = await signUp(writable.app);
    postId = (await writable.app.inject({ method: 'POST', url: '/api/posts', headers: alice.headers, payload: { content: 'before the move' } })).json<{ id: string }>().id;
    const { config } = await testConfig('sqlite', { SQLITE_PATH: `/tmp/agora-read-only-${process.pid}.db`, READ_ONLY: 'true' });
    readOnly = await buildApp(config, { logger: false, loadShedding: { maxEventLoopDelay: 0 } });
  });
  afterAll(async () => {
    await readOnly?.close();
    await writable?.close();
    const { rmSync } = await import('node:fs');
    for (const suffix of ['', '-wal', '-shm']) rmSync(`/tmp/agora-read-only-${process.pid}.db${suffix}`, { force: true });
  });

  it.each([
    ['POST', '/api/users', { username: 'newcomer1', password: PASSWORD }],
    ['POST', '/api/sessions', { username: 'x', password: PASSWORD }],
    ['POST', '/api/posts', { content: 'during the move' }],
    ['DELETE', '/api/sessions', undefined],
    ['PUT', '/api/listings/0190d8a4-0000-7000-8000-000000000000', {}],
  ] as const)('when %s %s comes, then 503 READ_ONLY with Retry-After, and nothing is written', async (method, url, payload) => {
    const res = await readOnly.inject({ method, url, headers: alice.headers, ...(payload ? { payload } : {}) });
    expect(res.statusCode).toBe(503);
    expect(problemOf(res).code).toBe('READ_ONLY');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('when reads come, then they are served, the caller known from the token', async () => {
    expect((await readOnly.inject({ method: 'GET', url: `/api/posts/${postId}` })).statusCode).toBe(200);
    const feed = await readOnly.inject({ method: 'GET', url: '/api/posts' });
    expect(feed.json<{ items: Array<{ id: string }> }>().items.map((p) => p.id)).toEqual([postId]);
    expect((await readOnly.inject({ method: 'GET', url: '/api/me', headers: alice.headers })).statusCode).toBe(200);
    expect((await readOnly.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
