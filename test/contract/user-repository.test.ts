import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { Session } from '../../internal/domain/users/session.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { buildUser, newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

export function userRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let users: UserRepository;
  beforeAll(async () => {
    t = await open();
    users = t.store.ports.users();
  });
  afterAll(() => t?.close());

  it('stores a user and finds it by id and by username in any case', async () => {
    const user = buildUser({ username: `Ab${Date.now().toString(36)}`.slice(0, 14) });
    await users.create(user);
    expect(await users.findById(user.id)).toEqual(user);
    expect(await users.findByUsername(user.username.toUpperCase())).toEqual(user);
    expect(await users.findByUsername(user.username.toLowerCase())).toEqual(user);
  });

  it('answers null, not an error, for unknown users', async () => {
    expect(await users.findById(newId())).toBeNull();
    expect(await users.findByUsername('nobody0000000')).toBeNull();
  });

  it.each(MALFORMED_IDS)('when an id is malformed (%j), then it names no user or session, and nothing fails', async (id) => {
    const known = buildUser();
    await users.create(known);
    expect(await users.findById(id)).toBeNull();
    expect((await users.findManyByIds([id, known.id])).map((u) => u.id)).toEqual([known.id]);
    expect(await users.findBySession({ sessionId: id, userId: id }, new Date())).toBeNull();
    await expect(users.deleteSession({ sessionId: id, userId: id })).resolves.toBeUndefined();
    await expect(users.deleteSessionsOf(id)).resolves.toBeUndefined();
  });

  it('refuses a username taken in another case, keeping the first user', async () => {
    const first = buildUser();
    await users.create(first);
    const clash = buildUser({ username: first.username.toUpperCase() });
    await expect(users.create(clash)).rejects.toBeInstanceOf(UsernameTakenError);
    expect(await users.findById(clash.id)).toBeNull();
    expect(await users.findByUsername(first.username)).toEqual(first);
  });

  it('lets exactly one of many parallel sign-ups with one name win', async () => {
    const name = buildUser().username;
    const attempts = Array.from({ length: 10 }, (_, i) => buildUser({ username: i % 2 ? name.toUpperCase() : name }));
    const results = await Promise.allSettled(attempts.map((u) => users.create(u)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(UsernameTakenError);
  });

  it('finds many by id, leaving unknown ids out', async () => {
    const a = buildUser();
    const b = buildUser();
    await users.create(a);
    await users.create(b);
    const found = await users.findManyByIds([a.id, b.id, newId()]);
    expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
    expect(await users.findManyByIds([])).toEqual([]);
  });

  it('pages through all users newest first with no duplicates or gaps', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      const user = buildUser({ joinedAt: new Date(Date.now() + i) });
      await users.create(user);
      mine.push(user.id);
    }
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await users.page({ limit: 2, ...(before ? { before } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      if (!page.next) break;
      before = page.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort().reverse()).toEqual(seen);
    expect(seen.filter((id) => mine.includes(id))).toEqual([...mine].reverse());
  });

  describe('sessions', () => {
    const HOUR = 3_600_000;
    const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
    async function withSession(user = buildUser(), expiresAt = at(new Date(), HOUR)) {
      if (!(await users.findById(user.id))) await users.create(user);
      const session: Session = { id: newId(), userId: user.id, expiresAt };
      await users.createSession(session, new Date());
      return { user, session, ref: { sessionId: session.id, userId: user.id } };
    }

    it('when a session is created, then it finds its user until the moment it expires', async () => {
      const { user, session, ref } = await withSession();
      expect(await users.findBySession(ref, new Date())).toEqual(user);
      expect(await users.findBySession(ref, at(session.expiresAt, -1))).toEqual(user);
      expect(await users.findBySession(ref, session.expiresAt)).toBeNull();
      expect(await users.findBySession(ref, at(session.expiresAt, 1))).toBeNull();
    });

    it('when the session is named with another user, then nothing is found', async () => {
      const { ref } = await withSession();
      const other = buildUser();
      await users.create(other);
      expect(await users.findBySession({ ...ref, userId: other.id }, new Date())).toBeNull();
      await users.deleteSession({ ...ref, userId: other.id });
      expect(await users.findBySession(ref, new Date())).not.toBeNull();
    });

    it('when a session is deleted, then it is not found, and deleting it again is harmless', async () => {
      const { user, ref } = await withSession();
      const kept = await withSession(user);
      await users.deleteSession(ref);
      expect(await users.findBySession(ref, new Date())).toBeNull();
      await users.deleteSession(ref);
      expect(await users.findBySession(kept.ref, new Date())).toEqual(user);
    });

    it("when all of a user's sessions are deleted, then another user's sessions remain", async () => {
      const a1 = await withSession();
      const a2 = await withSession(a1.user);
      const b = await withSession();
      await users.deleteSessionsOf(a1.user.id);
      expect(await users.findBySession(a1.ref, new Date())).toBeNull();
      expect(await users.findBySession(a2.ref, new Date())).toBeNull();
      expect(await users.findBySession(b.ref, new Date())).toEqual(b.user);
      await users.deleteSessionsOf(a1.user.id);
    });

    it("when a user logs in again, then their expired sessions are purged, not their live ones nor anyone else's", async () => {
      const past = at(new Date(), -HOUR);
      const live = await withSession();
      const expired = await withSession(live.user, past);
      const othersExpired = await withSession(buildUser(), past);
      // Asked as of before the expiry, a session that is still stored is found.
      const before = at(past, -1);
      expect(await users.findBySession(expired.ref, before)).toEqual(expired.user);
      const again = await withSession(live.user);
      expect(await users.findBySession(expired.ref, before)).toBeNull();
      expect(await users.findBySession(live.ref, new Date())).toEqual(live.user);
      expect(await users.findBySession(again.ref, new Date())).toEqual(live.user);
      expect(await users.findBySession(othersExpired.ref, before)).toEqual(othersExpired.user);
    });

    it.each([
      ['an unknown session id', () => newId()],
      ['a malformed session id', () => 'not-a-session-id'],
      ['an empty session id', () => ''],
    ])('when the token names %s, then null, not an error', async (_case, sessionId) => {
      const { user } = await withSession();
      expect(await users.findBySession({ sessionId: sessionId(), userId: user.id }, new Date())).toBeNull();
      expect(await users.findBySession({ sessionId: sessionId(), userId: 'not-a-user-id' }, new Date())).toBeNull();
      await expect(users.deleteSession({ sessionId: sessionId(), userId: user.id })).resolves.toBeUndefined();
      await expect(users.deleteSessionsOf('not-a-user-id')).resolves.toBeUndefined();
    });
  });
}

describeEachStore('UserRepository contract', (kind) => userRepositoryContract(() => openTestStore(kind)), providing('users'));
