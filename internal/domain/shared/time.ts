const DAY = 86_400_000;
/** 10000-01-01: toISOString writes four-digit years below it. */
const FOUR_DIGIT_YEARS_END = 253_402_300_800_000;
const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** "YYYY-MM-DDT" of the days seen lately, by day number. */
const dayPrefixes = new Map<number, string>();

/**
 * `at.toISOString()`, about ten times faster: the date part remembered per day, the time of day
 * from tables. Millions of seeded rows each have one, and every post, price entry or article an
 * answer carries does (a page of 100 price entries spent 44 µs in toISOString). Outside years 0
 * to 9999, and for an invalid date (a RangeError), it is toISOString itself.
 */
export function isoTime(at: Date): string {
  const t = at.getTime();
  if (!(t >= 0 && t < FOUR_DIGIT_YEARS_END)) return at.toISOString();
  const day = Math.floor(t / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 10_000) dayPrefixes.clear();
    prefix = at.toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let ms = t - day * DAY;
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1000);
  ms -= seconds * 1000;
  return `${prefix}${PAD2[hours]!}:${PAD2[minutes]!}:${PAD2[seconds]!}.${PAD3[ms]!}Z`;
}
