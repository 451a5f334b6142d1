import { describe, expect, it } from 'vitest';
import { CreatePost } from '../../internal/domain/posts/create-post.js';
import { dailySlotKeys, repostKey, secondsUntilNextUtcDay, utcDay } from '../../internal/domain/posts/post.js';
import { firstIdAt } from '../../internal/domain/shared/id-generator.js';
import { ValidationError } from '../../internal/domain/shared/errors.js';
import { pageRequest, encodeCursor } from '../../internal/domain/shared/page.js';
import { buildPost, newId } from '../support/builders.js';

describe('posting rules', () => {
  it('when the time is 23:59:00 UTC, then the next day opens in 60 seconds', () => {
    expect(secondsUntilNextUtcDay(new Date('2026-01-01T23:59:00.000Z'))).toBe(60);
    expect(secondsUntilNextUtcDay(new Date('2026-01-01T00:00:00.000Z'))).toBe(86_400);
    expect(secondsUntilNextUtcDay(new Date('2026-01-01T23:59:59.999Z'))).toBe(1);
  });

  it('when slots are listed, then there is one per allowed post, keyed by author and UTC day', () => {
    const keys = dailySlotKeys('a1', new Date('2026-03-01T23:30:00-05:00'), 5);
    expect(keys).toEqual(['a1:2026-03-02:1', 'a1:2026-03-02:2', 'a1:2026-03-02:3', 'a1:2026-03-02:4', 'a1:2026-03-02:5']);
    expect(utcDay(new Date('2026-03-01T23:30:00-05:00'))).toBe('2026-03-02');
  });

  it('when two reposts of one post share an author, then their repost keys collide; otherwise never', () => {
    const original = newId();
    const a = buildPost({ kind: 'repost', authorId: 'u1', originalId: original, content: null });
    const b = buildPost({ kind: 'repost', authorId: 'u1', originalId: original, content: null });
    const c = buildPost({ kind: 'repost', authorId: 'u2', originalId: original, content: null });
    const q1 = buildPost({ kind: 'quote', authorId: 'u1', originalId: original });
    const q2 = buildPost({ kind: 'quote', authorId: 'u1', originalId: original });
    expect(repostKey(a)).toBe(repostKey(b));
    expect(new Set([repostKey(a), repostKey(c), repostKey(q1), repostKey(q2)]).size).toBe(4);
  });

  it('when a time bound is turned into an id bound, then ids made at that time sort at or above it', () => {
    const at = new Date('2026-05-05T05:05:05.005Z');
    expect(newId(at) >= firstIdAt(at)).toBe(true);
    expect(newId(new Date(at.getTime() - 1)) < firstIdAt(at)).toBe(true);
  });
});

describe('page requests', () => {
  it.each([0, 101, 1.5, -1])('when limit is %s, then it is refused', (limit) => {
    expect(() => pageRequest(limit, undefined)).toThrow(ValidationError);
  });

  it('when a cursor round-trips, then it gives back the key; a forged one is refused', () => {
    const key = newId();
    expect(pageRequest(undefined, encodeCursor(key))).toEqual({ limit: 10, before: key });
    expect(() => pageRequest(10, encodeCursor('drop table users'))).toThrow(ValidationError);
  });
});

describe('CreatePost input shapes', () => {
  const author = { id: 'u', username: 'u' };
  const never = new Proxy({}, { get: () => () => Promise.reject(new Error('must not reach the store')) });
  const useCase = new CreatePost(never as never, { next: () => newId() }, { now: () => new Date() }, { maxLength: 10, dailyLimit: 5 }, never as never);

  it.each([
    [{ author, content: '' }, 'content'],
    [{ author, content: '   ' }, 'content'],
    [{ author, content: 'x'.repeat(11) }, 'content'],
    [{ author }, 'content'],
    [{ author, repostOf: newId(), content: 'x' }, 'content'],
    [{ author, repostOf: newId(), quoteOf: newId() }, 'quote_of'],
    [{ author, quoteOf: newId() }, 'content'],
  ])('when the input is %j, then it fails on %s before touching a store', async (input, field) => {
    const err = await useCase.execute(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]?.field).toBe(field);
  });

  it('when content has surrounding space within the limit after trimming, then the limit counts the trimmed text', async () => {
    const err = await useCase.execute({ author, content: `   ${'x'.repeat(10)}   ` }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ValidationError);
  });
});
