import { afterAll, beforeAll, expect, it } from 'vitest';
import { UsernameTakenError } from '../../internal/domain/users/errors.js';
import type { UserRepository } from '../../internal/domain/users/user-repository.js';
import { buildUser, newId } from '../support/builders.js';
import { describeEachStore, openTestStore, type TestStore } from '../support/store-matrix.js';

export function userRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let users: UserRepository;
  beforeAll(async () => {
    t = await open();
    users = t.store.userRepository();
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
}

describeEachStore('UserRepository contract', (kind) => userRepositoryContract(() => openTestStore(kind)));
