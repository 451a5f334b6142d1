import type { Article, Blog } from '../domain/blogs/blog.js';
import type { Follow } from '../domain/follows/follow-repository.js';
import type { BuildingType, Listing, PriceEntry } from '../domain/listings/listing.js';
import { dailySlotKeys, repostKey, type Post } from '../domain/posts/post.js';
import type { User } from '../domain/users/user.js';

const DAY = 86_400_000;

/**
 * A UUIDv7-shaped id made from its time and a counter, so a seed makes the same ids every
 * time (re-running it skips what exists) and they still sort by time like real ids.
 */
export function seedId(at: number, stream: number, n: number): string {
  const t = at.toString(16).padStart(12, '0');
  const c = n.toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${stream.toString(16).padStart(3, '0')}-8${c.slice(0, 3)}-${c.slice(3)}`;
}

/** A small deterministic generator (mulberry32): the same seed makes the same data set. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface Scale {
  users: number;
  posts: number;
  /** Average accounts each user follows. */
  followsPerUser: number;
  /** How many accounts user u1 (the benchmark's heavy reader) follows. */
  heavyFollows: number;
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
}

/**
 * Power-law follows: a followee index is `users * r^3`, so the first accounts gather most
 * followers (u0 the most) while the tail has few, like a real network.
 */
export function* seedFollows(scale: Scale, userIds: (i: number) => string): Generator<Follow> {
  const rand = random(7);
  let n = 0;
  for (let i = 0; i < scale.users; i++) {
    const wanted = Math.min(scale.users - 1, i === 1 ? scale.heavyFollows : Math.round(rand() * 2 * scale.followsPerUser));
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < wanted && tries < wanted * 4; tries++) {
      const j = Math.floor(scale.users * rand() ** 3);
      if (j !== i) chosen.add(j);
    }
    for (const j of chosen) {
      const at = scale.now - Math.floor(rand() * scale.days * DAY);
      yield { id: seedId(at, 2, n++), followerId: userIds(i), followeeId: userIds(j), createdAt: new Date(at) };
    }
  }
}

/**
 * Originals spread over `days`: post p is author p % users's k-th post (k = p / users), five
 * to a day at most, so every daily slot key stays unique as the live rules require. Each comes
 * with its keys, as CreatePost gives them to the store.
 */
export function* seedPosts(scale: Scale, userIds: (i: number) => string): Generator<{ post: Post; slotKey: string; repostKey: string }> {
  const rand = random(11);
  const perAuthorDays = Math.max(1, Math.ceil(scale.posts / scale.users / 5));
  const spacing = Math.max(1, Math.floor(scale.days / perAuthorDays));
  for (let p = 0; p < scale.posts; p++) {
    const author = p % scale.users;
    const k = Math.floor(p / scale.users);
    const dayStart = Math.floor(scale.now / DAY) * DAY - (Math.floor(k / 5) * spacing + 1) * DAY;
    const at = dayStart + Math.floor(rand() * (DAY - 1));
    const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, () => WORDS[Math.floor(rand() * WORDS.length)]!);
    const post: Post = {
      id: seedId(at, 3, p),
      kind: 'original',
      authorId: userIds(author),
      authorName: seedUsername(author),
      content: words.join(' '),
      originalId: null,
      createdAt: new Date(at),
    };
    yield { post, slotKey: dailySlotKeys(post.authorId, post.createdAt, 5)[k % 5]!, repostKey: repostKey(post) };
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
