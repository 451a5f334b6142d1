import { describe, expect, it } from 'vitest';
import { isoTime } from '../../internal/domain/shared/time.js';

describe('isoTime', () => {
  it('writes every time as toISOString does', () => {
    const times = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2026, 1, 28, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12), 253_402_300_799_999, 253_402_300_800_000, -1, -86_400_001, -62_198_755_200_000, 8.64e15, -8.64e15];
    for (let i = 0; i < 5000; i++) times.push(Math.floor(Math.random() * 4e12));
    // The same day again: its date part now comes from the remembered prefixes.
    for (let i = 0; i < 1000; i++) times.push(Date.UTC(2026, 10, 24) + Math.floor(Math.random() * 86_400_000));
    for (const t of times) expect(isoTime(new Date(t)), String(t)).toBe(new Date(t).toISOString());
  });

  it('refuses an invalid date as toISOString does', () => {
    expect(() => isoTime(new Date(Number.NaN))).toThrow(RangeError);
  });
});
