import { describe, expect, it } from 'vitest';
import { UuidV7IdGenerator } from '../../adapters/system/uuid-v7-id-generator.js';
import { firstIdAt, isId } from '../../internal/domain/shared/id-generator.js';

describe('UuidV7IdGenerator', () => {
  it('keeps creation order among many ids of one millisecond', () => {
    const ids = new UuidV7IdGenerator();
    const at = new Date('2026-01-02T03:04:05.678Z');
    const made = Array.from({ length: 1_000 }, () => ids.next(at));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) expect(isId(id)).toBe(true);
  });

  it('orders by time first, and an earlier time does not disturb the counter', () => {
    const ids = new UuidV7IdGenerator();
    const t = Date.parse('2026-01-02T03:04:05.678Z');
    const a = ids.next(new Date(t));
    const past = ids.next(new Date(t - 60_000));
    const b = ids.next(new Date(t));
    const later = ids.next(new Date(t + 1));
    expect(past < a && a < b && b < later).toBe(true);
    expect(firstIdAt(new Date(t)) <= a && later >= firstIdAt(new Date(t + 1))).toBe(true);
  });

  it('when ids for a later time came in between, then the present millisecond keeps its order', () => {
    const ids = new UuidV7IdGenerator();
    const t = Date.parse('2026-01-02T03:04:05.678Z');
    for (let round = 0; round < 50; round++) {
      const a = ids.next(new Date(t));
      ids.next(new Date(t + 86_400_000 * (round + 1)));
      const b = ids.next(new Date(t));
      ids.next(new Date(t - 1000 * (round + 1)));
      const c = ids.next(new Date(t));
      expect(a < b && b < c).toBe(true);
    }
  });

  it('when ids were made for thousands of milliseconds, then it remembers at most 256 counters and every id is unique', () => {
    const ids = new UuidV7IdGenerator();
    const t = Date.parse('2026-01-02T03:04:05.678Z');
    const made = new Set<string>();
    for (let i = 0; i < 5_000; i++) made.add(ids.next(new Date(t + (i % 700))));
    expect(made.size).toBe(5_000);
    expect((ids as unknown as { counters: Map<number, number> }).counters.size).toBe(256);
  });
});
