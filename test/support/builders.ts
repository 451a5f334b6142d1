import { randomBytes } from 'node:crypto';
import type { Listing } from '../../internal/domain/listings/listing.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import { UuidV7IdGenerator } from '../../adapters/system/uuid-v7-id-generator.js';

const ids = new UuidV7IdGenerator();

export function newId(at = new Date()): string {
  return ids.next(at);
}

/** A username no other test uses: 14 letters or digits at most. */
export function uniqueUsername(prefix = 'u'): string {
  return `${prefix}${randomBytes(6).toString('hex')}`.slice(0, 14);
}

export function buildUser(overrides: Partial<User> = {}): User {
  const joinedAt = overrides.joinedAt ?? new Date();
  return {
    id: newId(joinedAt),
    username: uniqueUsername(),
    passwordHash: 'scrypt$1024$8$1$c2FsdA==$a2V5',
    joinedAt,
    ...overrides,
  };
}

export function buildPost(overrides: Partial<Post> = {}): Post {
  const createdAt = overrides.createdAt ?? new Date();
  return {
    id: newId(createdAt),
    kind: 'original',
    authorId: newId(),
    authorName: 'author',
    content: `post ${randomBytes(4).toString('hex')}`,
    originalId: null,
    createdAt,
    ...overrides,
  };
}

export function buildListing(overrides: Partial<Listing> = {}): Listing {
  const at = overrides.createdDate ?? new Date();
  return {
    id: newId(at),
    ownerId: newId(),
    name: 'Bright flat',
    postalAddress: { streetAddress: '1 rue de la Paix', postalCode: '75002', city: 'Paris', country: 'FR' },
    description: 'Two rooms near the opera',
    buildingType: 'APARTMENT',
    latestPriceEur: 100_000,
    surfaceAreaM2: 42.5,
    roomsCount: 2,
    bedroomsCount: 1,
    contactPhoneNumber: '+33612345678',
    createdDate: at,
    updatedDate: at,
    ...overrides,
  };
}

/** A valid POST/PUT /api/listings body (AVIV's field names), with overrides. */
export function listingBody(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Sunny studio',
    postal_address: { street_address: '3 place Bellecour', postal_code: '69002', city: 'Lyon', country: 'FR' },
    description: 'Top floor, lots of light',
    building_type: 'STUDIO',
    latest_price_eur: 100_000,
    surface_area_m2: 25,
    rooms_count: 1,
    bedrooms_count: 0,
    contact_phone_number: '+33478000000',
    ...overrides,
  };
}
