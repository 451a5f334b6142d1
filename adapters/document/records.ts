import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { cityKey, type Listing, type PriceEntry } from '../../internal/domain/listings/listing.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';
import type { ArticleDoc, BlogDoc, FollowDoc, ListingDoc, PostDoc, UserDoc } from './schema.js';

// Each entity's document, one mapping each way, for the repositories and the bulk seeder alike.

export function userDoc(u: User): UserDoc {
  return { _id: u.id, username: u.username, username_key: usernameKey(u.username), password_hash: u.passwordHash, joined_at: u.joinedAt };
}

export function toUser(doc: UserDoc): User {
  return { id: doc._id, username: doc.username, passwordHash: doc.password_hash, joinedAt: doc.joined_at };
}

export function followDoc(f: Follow): FollowDoc {
  return { _id: f.id, follower_id: f.followerId, followee_id: f.followeeId, created_at: f.createdAt };
}

export function toFollow(doc: FollowDoc): Follow {
  return { id: doc._id, followerId: doc.follower_id, followeeId: doc.followee_id, createdAt: doc.created_at };
}

/** The post under one daily slot, with the keys the domain gave it. */
export function postDoc(p: Post, slotKey: string, repostKey: string): PostDoc {
  return {
    _id: p.id, kind: p.kind, author_id: p.authorId, author_name: p.authorName, content: p.content, original_id: p.originalId, created_at: p.createdAt,
    search_text: p.content === null ? null : searchKey(p.content), slot_key: slotKey, repost_key: repostKey,
  };
}

/** What a post is read from: never its keys. */
export const POST_FIELDS = { _id: 1, kind: 1, author_id: 1, author_name: 1, content: 1, original_id: 1, created_at: 1 } as const;

export function toPost(doc: Pick<PostDoc, keyof typeof POST_FIELDS>): Post {
  return {
    id: doc._id, kind: doc.kind, authorId: doc.author_id, authorName: doc.author_name, content: doc.content, originalId: doc.original_id,
    createdAt: doc.created_at,
  };
}

export function blogDoc(b: Blog): BlogDoc {
  return { _id: b.id, owner_id: b.ownerId, name: b.name, slug: b.slug, description: b.description, created_at: b.createdAt, updated_at: b.updatedAt };
}

export function toBlog(doc: BlogDoc): Blog {
  return {
    id: doc._id, ownerId: doc.owner_id, name: doc.name, slug: doc.slug, description: doc.description,
    createdAt: doc.created_at, updatedAt: doc.updated_at,
  };
}

/** The view count is not in the article's document: see ArticleViews. */
export function articleDoc(a: Article): ArticleDoc {
  return { _id: a.id, blog_id: a.blogId, author_id: a.authorId, title: a.title, content: a.content, created_at: a.createdAt, updated_at: a.updatedAt };
}

export function toArticle(doc: ArticleDoc, viewCount: number): Article {
  return {
    id: doc._id, blogId: doc.blog_id, authorId: doc.author_id, title: doc.title, content: doc.content, viewCount,
    createdAt: doc.created_at, updatedAt: doc.updated_at,
  };
}

/** A listing with its whole price history, oldest first, as one document. */
export function listingDoc(l: Listing, prices: readonly PriceEntry[]): ListingDoc {
  const a = l.postalAddress;
  return {
    _id: l.id, owner_id: l.ownerId, name: l.name, description: l.description, building_type: l.buildingType,
    postal_address: { street_address: a.streetAddress, postal_code: a.postalCode, city: a.city, country: a.country }, city_key: cityKey(a.city),
    latest_price_eur: l.latestPriceEur, surface_area_m2: l.surfaceAreaM2,
    rooms_count: l.roomsCount, bedrooms_count: l.bedroomsCount, contact_phone_number: l.contactPhoneNumber,
    created_date: l.createdDate, updated_date: l.updatedDate,
    price_history: prices.map((p) => ({ price_eur: p.priceEur, created_date: p.createdDate })),
  };
}

export function toListing(doc: Omit<ListingDoc, 'price_history'>): Listing {
  const a = doc.postal_address;
  return {
    id: doc._id, ownerId: doc.owner_id, name: doc.name, description: doc.description, buildingType: doc.building_type,
    postalAddress: { streetAddress: a.street_address, postalCode: a.postal_code, city: a.city, country: a.country },
    latestPriceEur: doc.latest_price_eur, surfaceAreaM2: doc.surface_area_m2,
    roomsCount: doc.rooms_count, bedroomsCount: doc.bedrooms_count, contactPhoneNumber: doc.contact_phone_number,
    createdDate: doc.created_date, updatedDate: doc.updated_date,
  };
}

export function toPriceEntries(doc: Pick<ListingDoc, '_id' | 'price_history'>): PriceEntry[] {
  return doc.price_history.map((p) => ({ listingId: doc._id, priceEur: p.price_eur, createdDate: p.created_date }));
}
