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
});
