import type { Article, Blog } from '../domain/blogs/blog.js';
import type { Follow } from '../domain/follows/follow-repository.js';
import type { BuildingType, Listing, PriceEntry } from '../domain/listings/listing.js';
import { dailySlotKeys, repostKey, type Post } from '../domain/posts/post.js';
import type { User } from '../domain/users/user.js';

const DAY = 86_400_000;

/** Two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const TWO_24 = 2 ** 24;
const TWO_48 = 2 ** 48;

/** Six bytes (0 <= n < 2^48, an integer) as twelve hex digits. */
function hex12(n: number): string {
  const hi = Math.floor(n / TWO_24);
  const lo = n - hi * TWO_24;
  return HEX[hi >>> 16]! + HEX[(hi >>> 8) & 255]! + HEX[hi & 255]! + HEX[lo >>> 16]! + HEX[(lo >>> 8) & 255]! + HEX[lo & 255]!;
}

/**
 * A UUIDv7-shaped id made from its time and a counter, so a seed makes the same ids every
 * time (re-running it skips what exists) and they still sort by time like real ids.
 * Seeding makes millions, so the usual case is built from a byte table; anything outside it
 * (a time past 2^48 ms, a stream past 0xfff, a fraction) takes the general formatting.
 */
export function seedId(at: number, stream: number, n: number): string {
  if (at >= 0 && at < TWO_48 && Number.isInteger(at) && stream >= 0 && stream < 4096 && Number.isInteger(stream) && n >= 0 && n < TWO_48 && Number.isInteger(n)) {
    const t = hex12(at);
    const s = stream.toString(16);
    return `${t.slice(0, 8)}-${t.slice(8)}-7${s.length === 3 ? s : s.padStart(3, '0')}-8000-${hex12(n)}`;
  }
  return formatSeedId(at, stream, n);
}

/** seedId's general form, for any input. */
export function formatSeedId(at: number, stream: number, n: number): string {
  const t = at.toString(16).padStart(12, '0');
  const c = n.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${stream.toString(16).padStart(3, '0')}-8${c.slice(0, 3)}-${c.slice(3)}`;
}

/** mulberry32's step: its state is a counter advanced by this much per draw. */
const MULBERRY_STEP = 0x6d2b79f5;

/** mulberry32's draw from a state it has stepped to. */
function mulberry(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
}

/** A small deterministic generator (mulberry32): the same seed makes the same data set. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + MULBERRY_STEP) >>> 0;
    return mulberry(a);
  };
}

export interface Scale {
  users: number;
  posts: number;
  /** Average accounts each user follows. */
  followsPerUser: number;
  /** How many accounts user u1 (the benchmark's heavy reader) follows. */
  heavyFollows: number;
  /**
   * Accounts f0..f(fans-1), after the users, that each follow u0 and nothing else: the
   * benchmark's account with a million followers (default none).
   */
  fans?: number;
  /** Posts are spread over this many days before `now`. */
  days: number;
  now: number;
  /** Blogs, each with `articlesPerBlog` articles, owned by users in turn. */
  blogs: number;
  articlesPerBlog: number;
  /** Listings, each with a price history of `pricesPerListing` entries. */
  listings: number;
  pricesPerListing: number;
}

export const WORDS = 'agora river lamp market quiet orbit maple copper harbor signal garden winter coffee paper violet thunder'.split(' ');

export function seedUsername(i: number): string {
  return `u${i}`;
}

function joinedAt(scale: Scale, i: number): number {
  return scale.now - (scale.days + 2) * DAY - (scale.users - i) * 1000;
}

export function seedUserId(scale: Scale, i: number): string {
  return seedId(joinedAt(scale, i), 1, i);
}

export function* seedUsers(scale: Scale, passwordHash: string): Generator<User> {
  for (let i = 0; i < scale.users; i++) {
    yield { id: seedUserId(scale, i), username: seedUsername(i), passwordHash, joinedAt: new Date(joinedAt(scale, i)) };
  }
  for (let j = 0; j < (scale.fans ?? 0); j++) {
    yield { id: seedFanId(scale, j), username: `f${j}`, passwordHash, joinedAt: new Date(fanJoinedAt(scale, j)) };
  }
}

/** Fans join a millisecond apart after the last user, so their ids follow the users'. */
function fanJoinedAt(scale: Scale, j: number): number {
  return joinedAt(scale, scale.users) + j;
}

export function seedFanId(scale: Scale, j: number): string {
  return seedId(fanJoinedAt(scale, j), 8, j);
}

/** Each fan's follow of u0, a day after they all joined: before every other follow (they are younger than `days`). */
function* fanFollows(scale: Scale, userIds: (i: number) => string): Generator<Follow> {
  const u0 = userIds(0);
  for (let j = 0; j < (scale.fans ?? 0); j++) {
    const at = fanJoinedAt(scale, j) + DAY;
    yield { id: seedId(at, 9, j), followerId: seedFanId(scale, j), followeeId: u0, createdAt: new Date(at) };
  }
}

/**
 * `userIds` with each id made once: follows and posts ask for the same users' ids millions of
 * times, and making one is string work.
 */
function remembered(userIds: (i: number) => string, users: number): (i: number) => string {
  const ids = new Array<string | undefined>(users);
  return (i) => (ids[i] ??= userIds(i));
}

/**
 * Power-law follows: a followee index is `users * r^3`, so the first accounts gather most
 * followers (u0 the most) while the tail has few, like a real network. Drawn follower by
 * follower as the first versions of this generator drew them (same ids, same pairs), but
 * given in id order, oldest first, so a store's primary key takes them as appends (16 bytes
 * a follow held meanwhile). The fans' follows of u0 (see Scale.fans) come first: they are older.
 */
export function* seedFollows(scale: Scale, userIds: (i: number) => string): Generator<Follow> {
  yield* fanFollows(scale, userIds);
  const rand = random(7);
  const times: number[] = [];
  const followers: number[] = [];
  const followees: number[] = [];
  for (let i = 0; i < scale.users; i++) {
    const wanted = Math.min(scale.users - 1, i === 1 ? scale.heavyFollows : Math.round(rand() * 2 * scale.followsPerUser));
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < wanted && tries < wanted * 4; tries++) {
      const j = Math.floor(scale.users * rand() ** 3);
      if (j !== i) chosen.add(j);
    }
    for (const j of chosen) {
      times.push(scale.now - Math.floor(rand() * scale.days * DAY));
      followers.push(i);
      followees.push(j);
    }
  }
  const at = Float64Array.from(times);
  const follower = Uint32Array.from(followers);
  const followee = Uint32Array.from(followees);
  times.length = followers.length = followees.length = 0;
  const order = new Uint32Array(at.length);
  for (let n = 0; n < order.length; n++) order[n] = n;
  order.sort((x, y) => at[x]! - at[y]! || x - y);
  const idOf = remembered(userIds, scale.users);
  for (const n of order) {
    yield { id: seedId(at[n]!, 2, n), followerId: idOf(follower[n]!), followeeId: idOf(followee[n]!), createdAt: new Date(at[n]!) };
  }
}

/** How many slots a seeded author's day has: the live default limit. */
const SEED_DAILY_SLOTS = 5;

/**
 * Originals spread over `days`: post p is author p % users's k-th post (k = p / users), five
 * to a day at most, so every daily slot key stays unique as the live rules require. Each comes
 * with its keys, as CreatePost gives them to the store: slot k % 5 of its author's day.
 *
 * Post p is drawn from the random stream where the first versions of this generator left it
 * after post p - 1 (same ids, same contents), but they come out in id order, oldest first, so
 * a store's primary key takes them as appends: a first pass draws only each post's time and
 * skips its words (mulberry32's state is a counter), 16 bytes a post.
 */
export function* seedPosts(scale: Scale, userIds: (i: number) => string): Generator<{ post: Post; slotKey: string; repostKey: string }> {
  const perAuthorDays = Math.max(1, Math.ceil(scale.posts / scale.users / SEED_DAILY_SLOTS));
  const spacing = Math.max(1, Math.floor(scale.days / perAuthorDays));
  const today = Math.floor(scale.now / DAY) * DAY;
  const dayStart = (k: number) => today - (Math.floor(k / SEED_DAILY_SLOTS) * spacing + 1) * DAY;
  const states = new Uint32Array(scale.posts);
  const times = new Float64Array(scale.posts);
  let a = 11;
  for (let p = 0; p < scale.posts; p++) {
    states[p] = a;
    a = (a + MULBERRY_STEP) >>> 0;
    times[p] = dayStart(Math.floor(p / scale.users)) + Math.floor(mulberry(a) * (DAY - 1));
    a = (a + MULBERRY_STEP) >>> 0;
    const words = 6 + Math.floor(mulberry(a) * 10);
    a = (a + words * MULBERRY_STEP) >>> 0;
  }
  const order = new Uint32Array(scale.posts);
  for (let p = 0; p < scale.posts; p++) order[p] = p;
  order.sort((x, y) => times[x]! - times[y]! || x - y);

  const authorIds = remembered(userIds, scale.users);
  // A day's slot keys are the author's id followed by the same text for everyone (a test pins
  // it): made once per day rather than five keys per post.
  let slotDay = NaN;
  let slotSuffixes: string[] = [];
  for (const p of order) {
    const rand = random(states[p]!);
    const author = p % scale.users;
    const k = Math.floor(p / scale.users);
    const at = dayStart(k) + Math.floor(rand() * (DAY - 1));
    // 6 to 15 words.
    const length = 6 + Math.floor(rand() * 10);
    let content = WORDS[Math.floor(rand() * WORDS.length)]!;
    for (let w = 1; w < length; w++) content += ' ' + WORDS[Math.floor(rand() * WORDS.length)]!;
    const createdAt = new Date(at);
    if (Math.floor(at / DAY) !== slotDay) {
      slotDay = Math.floor(at / DAY);
      slotSuffixes = dailySlotKeys('', createdAt, SEED_DAILY_SLOTS);
    }
    const authorId = authorIds(author);
    const post: Post = { id: seedId(at, 3, p), kind: 'original', authorId, authorName: seedUsername(author), content, originalId: null, createdAt };
    yield { post, slotKey: authorId + slotSuffixes[k % SEED_DAILY_SLOTS]!, repostKey: repostKey(post) };
  }
}

const words = (rand: () => number, n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]!).join(' ');

/** Blogs with their articles and view counts, as a transfer writes them (`blog-<i>` slugs). */
export function* seedBlogs(scale: Scale, userIds: (i: number) => string): Generator<{ blog: Blog; articles: Article[] }> {
  const rand = random(17);
  for (let b = 0; b < scale.blogs; b++) {
    const at = scale.now - Math.floor(rand() * scale.days) * DAY - DAY;
    const ownerId = userIds(b % scale.users);
    const blog: Blog = { id: seedId(at, 4, b), ownerId, name: `Blog ${b}: ${words(rand, 3)}`, slug: `blog-${b}`, description: words(rand, 12), createdAt: new Date(at), updatedAt: new Date(at) };
    const articles = Array.from({ length: scale.articlesPerBlog }, (_, a): Article => {
      const written = new Date(at + (a + 1) * 3_600_000);
      return {
        id: seedId(written.getTime(), 5, b * scale.articlesPerBlog + a),
        blogId: blog.id,
        authorId: ownerId,
        title: words(rand, 5),
        content: `<p>${words(rand, 60)}</p>`,
        viewCount: Math.floor(rand() * 1000),
        createdAt: written,
        updatedAt: written,
      };
    });
    yield { blog, articles };
  }
}

const CITIES: ReadonlyArray<[string, string, string]> = [['Paris', '75011', 'FR'], ['Lyon', '69003', 'FR'], ['Berlin', '10115', 'DE'], ['Madrid', '28013', 'ES'], ['Lisboa', '1100-148', 'PT']];
const BUILDINGS: readonly BuildingType[] = ['STUDIO', 'APARTMENT', 'HOUSE'];

/** Listings with their whole price history, oldest first, the last entry the listing's price. */
export function* seedListings(scale: Scale, userIds: (i: number) => string): Generator<{ listing: Listing; prices: PriceEntry[] }> {
  const rand = random(23);
  for (let l = 0; l < scale.listings; l++) {
    const at = scale.now - Math.floor(rand() * scale.days) * DAY - DAY;
    const [city, postalCode, country] = CITIES[l % CITIES.length]!;
    const id = seedId(at, 6, l);
    const prices = Array.from({ length: Math.max(1, scale.pricesPerListing) }, (_, i): PriceEntry => ({
      listingId: id,
      priceEur: 50_000 + Math.round(rand() * 950_000),
      createdDate: new Date(at + i * 3_600_000),
    }));
    const rooms = 1 + Math.floor(rand() * 6);
    const listing: Listing = {
      id,
      ownerId: userIds(l % scale.users),
      name: `${words(rand, 2)} ${l}`,
      postalAddress: { streetAddress: `${1 + (l % 200)} ${words(rand, 2)} street`, postalCode, city, country },
      description: words(rand, 20),
      buildingType: BUILDINGS[l % BUILDINGS.length]!,
      latestPriceEur: prices.at(-1)!.priceEur,
      surfaceAreaM2: 15 + Math.round(rand() * 2000) / 10,
      roomsCount: rooms,
      bedroomsCount: Math.max(0, rooms - 1),
      contactPhoneNumber: null,
      createdDate: new Date(at),
      updatedDate: prices.at(-1)!.createdDate,
    };
    yield { listing, prices };
  }
}
