import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IdempotencyRepository, StoredResponse } from '../../internal/domain/shared/idempotency.js';
import { newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);
const newKey = () => `key-${randomBytes(8).toString('hex')}`;

function answer(overrides: Partial<StoredResponse> = {}): StoredResponse {
  return { status: 201, contentType: 'application/json; charset=utf-8', location: `/api/posts/${newId()}`, body: JSON.stringify({ id: newId(), text: 'héllo ✓' }), ...overrides };
}

export function idempotencyRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let records: IdempotencyRepository;
  beforeAll(async () => {
    t = await open();
    expect(t.store.idempotency, `${t.kind} store gives no idempotency repository`).toBeTypeOf('function');
    records = t.store.idempotency!();
  });
  afterAll(() => t?.close());

  /** A fresh (user, key) claimed at `now`, living a day. */
  async function claimed(now = new Date(), fingerprint = 'fp-1') {
    const user = newId();
    const key = newKey();
    expect(await records.claim(user, key, fingerprint, now, at(now, DAY))).toEqual({ state: 'new' });
    return { user, key, now, fingerprint };
  }

  it('when a key is new, then the first claim holds it and the next finds it pending with its fingerprint', async () => {
    const { user, key, now } = await claimed();
    expect(await records.claim(user, key, 'fp-1', now, at(now, DAY))).toEqual({ state: 'pending', fingerprint: 'fp-1' });
    expect(await records.claim(user, key, 'fp-2', at(now, HOUR), at(now, DAY + HOUR))).toEqual({ state: 'pending', fingerprint: 'fp-1' });
  });

  it('when the claim is completed, then every later claim gets the stored answer, byte for byte, and the first fingerprint', async () => {
    const { user, key, now } = await claimed();
    const first = answer({ body: JSON.stringify({ text: 'x'.repeat(200_000), emoji: '🙂', nul: 'a\u0000b' }) });
    await records.complete(user, key, first);
    expect(await records.claim(user, key, 'fp-1', at(now, HOUR), at(now, DAY + HOUR))).toEqual({ state: 'done', fingerprint: 'fp-1', response: first });
    expect(await records.claim(user, key, 'fp-other', at(now, HOUR), at(now, DAY + HOUR))).toEqual({ state: 'done', fingerprint: 'fp-1', response: first });
  });

  it('when an answer has no location (a problem document), then it is stored as null', async () => {
    const { user, key, now } = await claimed();
    const refused = answer({ status: 422, contentType: 'application/problem+json; charset=utf-8', location: null, body: '{"code":"X"}' });
    await records.complete(user, key, refused);
    expect(await records.claim(user, key, 'fp-1', now, at(now, DAY))).toEqual({ state: 'done', fingerprint: 'fp-1', response: refused });
  });

  it('when a completed record is completed or released again, then its first answer stays', async () => {
    const { user, key, now } = await claimed();
    const first = answer();
    await records.complete(user, key, first);
    await records.complete(user, key, answer({ status: 200 }));
    await records.release(user, key);
    expect(await records.claim(user, key, 'fp-1', now, at(now, DAY))).toEqual({ state: 'done', fingerprint: 'fp-1', response: first });
  });

  it('when a pending claim is released, then the next claim holds the key again, with its own fingerprint', async () => {
    const { user, key, now } = await claimed();
    await records.release(user, key);
    expect(await records.claim(user, key, 'fp-2', now, at(now, DAY))).toEqual({ state: 'new' });
    expect(await records.claim(user, key, 'fp-2', now, at(now, DAY))).toEqual({ state: 'pending', fingerprint: 'fp-2' });
  });

  it('when another user claims the same key, then it is a key of its own', async () => {
    const { key, now } = await claimed();
    expect(await records.claim(newId(), key, 'fp-1', now, at(now, DAY))).toEqual({ state: 'new' });
  });

  it('when user and key are split differently around a separator, then they are different records', async () => {
    const now = new Date();
    const base = newId();
    const pairs: Array<[string, string]> = [[base, 'b:c'], [`${base}:b`, 'c'], [base, '"b","c"'], [`${base}","b`, 'c'], [base, 'c#1'], [`${base}#0`, 'c']];
    for (const [user, key] of pairs) expect(await records.claim(user, key, 'fp', now, at(now, DAY)), `${user} / ${key}`).toEqual({ state: 'new' });
  });

  it('when a record has expired, then a claim treats it as absent, and the new record answers from then on', async () => {
    const { user, key, now } = await claimed();
    await records.complete(user, key, answer());
    const expiry = at(now, DAY);
    expect((await records.claim(user, key, 'fp-1', at(expiry, -1), at(expiry, DAY))).state).toBe('done');
    expect(await records.claim(user, key, 'fp-2', expiry, at(expiry, DAY))).toEqual({ state: 'new' });
    expect(await records.claim(user, key, 'fp-2', at(expiry, 1), at(expiry, DAY))).toEqual({ state: 'pending', fingerprint: 'fp-2' });
    const second = answer({ status: 409, location: null });
    await records.complete(user, key, second);
    expect(await records.claim(user, key, 'fp-1', at(expiry, HOUR), at(expiry, DAY))).toEqual({ state: 'done', fingerprint: 'fp-2', response: second });
  });

  it('when a key expires again and again, with releases between, then each claim sees only the latest record', async () => {
    const { user, key, now } = await claimed();
    let start = now;
    for (let round = 2; round <= 4; round++) {
      start = at(start, DAY);
      expect(await records.claim(user, key, `fp-${round}`, start, at(start, DAY))).toEqual({ state: 'new' });
      await records.release(user, key);
      expect(await records.claim(user, key, `fp-${round}`, start, at(start, DAY))).toEqual({ state: 'new' });
    }
    const last = answer();
    await records.complete(user, key, last);
    expect(await records.claim(user, key, 'fp-x', at(start, 1), at(start, DAY))).toEqual({ state: 'done', fingerprint: 'fp-4', response: last });
  });

  it('when a pending record has expired (its request never answered), then a claim takes the key over', async () => {
    const { user, key, now } = await claimed();
    const later = at(now, DAY + 1);
    expect(await records.claim(user, key, 'fp-2', later, at(later, DAY))).toEqual({ state: 'new' });
  });

  it('when a key was never claimed, then completing or releasing it is harmless and stores nothing', async () => {
    const user = newId();
    const key = newKey();
    await expect(records.complete(user, key, answer())).resolves.toBeUndefined();
    await expect(records.release(user, key)).resolves.toBeUndefined();
    expect(await records.claim(user, key, 'fp', new Date(), at(new Date(), DAY))).toEqual({ state: 'new' });
  });

  it.each(MALFORMED_IDS)('when the user id is malformed (%j), then it is a user like any other, and nothing fails', async (id) => {
    const now = new Date();
    const key = newKey();
    expect(await records.claim(id, key, 'fp', now, at(now, DAY))).toEqual({ state: 'new' });
    expect((await records.claim(id, key, 'fp', now, at(now, DAY))).state).toBe('pending');
    await expect(records.release(id, key)).resolves.toBeUndefined();
    expect(await records.claim(id, key, 'fp', now, at(now, DAY))).toEqual({ state: 'new' });
    const stored = answer();
    await expect(records.complete(id, key, stored)).resolves.toBeUndefined();
    expect(await records.claim(id, key, 'fp', now, at(now, DAY))).toEqual({ state: 'done', fingerprint: 'fp', response: stored });
    await expect(records.complete(id, newKey(), stored)).resolves.toBeUndefined();
    await expect(records.release(id, newKey())).resolves.toBeUndefined();
  });

  it('when 20 claims of one new key run in parallel, then exactly one holds it and the others find it pending', async () => {
    const user = newId();
    const key = newKey();
    const now = new Date();
    const claims = await Promise.all(Array.from({ length: 20 }, () => records.claim(user, key, 'fp', now, at(now, DAY))));
    expect(claims.filter((c) => c.state === 'new')).toHaveLength(1);
    expect(claims.filter((c) => c.state !== 'new')).toEqual(Array.from({ length: 19 }, () => ({ state: 'pending', fingerprint: 'fp' })));
  });

  it('when 20 claims of one expired key run in parallel, then exactly one takes it over', async () => {
    const { user, key, now } = await claimed();
    await records.complete(user, key, answer());
    const later = at(now, DAY + HOUR);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => records.claim(user, key, `fp-${i}`, later, at(later, DAY))));
    const winners = claims.flatMap((c, i) => (c.state === 'new' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const c of claims) if (c.state !== 'new') expect(c).toEqual({ state: 'pending', fingerprint: `fp-${winners[0]}` });
  });

  it('when claims race a release, then at most one holds the key at any time', async () => {
    const { user, key, now } = await claimed();
    const release = records.release(user, key);
    const claims = await Promise.all(Array.from({ length: 10 }, () => records.claim(user, key, 'fp-1', now, at(now, DAY))));
    await release;
    expect(claims.filter((c) => c.state === 'new').length).toBeLessThanOrEqual(1);
    // Whoever holds it now (a racing claim, or nobody) is the only holder: one more claim cannot also win unless nobody did.
    const after = await records.claim(user, key, 'fp-1', now, at(now, DAY));
    expect(claims.filter((c) => c.state === 'new').length + (after.state === 'new' ? 1 : 0)).toBe(1);
  });
}

describeEachStore('IdempotencyRepository contract', (kind) => idempotencyRepositoryContract(() => openTestStore(kind)), providing('users'));
