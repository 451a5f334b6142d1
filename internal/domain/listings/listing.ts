import { InvalidRangeError, ValidationError, type FieldProblem } from '../shared/errors.js';
import { trimInvisible } from '../shared/text.js';
import { isCountryCode } from './countries.js';

export type BuildingType = 'STUDIO' | 'APARTMENT' | 'HOUSE';

export interface PostalAddress {
  streetAddress: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
}

/** What a client sends to create or replace a listing (AVIV's listing fields). */
export interface ListingFields {
  name: string;
  postalAddress: PostalAddress;
  description: string;
  buildingType: BuildingType;
  latestPriceEur: number;
  surfaceAreaM2: number;
  roomsCount: number;
  bedroomsCount: number;
  contactPhoneNumber: string | null;
}

export interface Listing extends ListingFields {
  id: string;
  ownerId: string;
  createdDate: Date;
  updatedDate: Date;
}

/** One point of a listing's price history. */
export interface PriceEntry {
  listingId: string;
  priceEur: number;
  createdDate: Date;
}

/**
 * Bounds every store holds exactly: prices and areas stay far inside a double's exact integers,
 * room counts inside a 32-bit integer column.
 */
export const LISTING_LIMITS = { maxPriceEur: 1_000_000_000_000, maxSurfaceM2: 1_000_000_000, maxRooms: 10_000 } as const;

const PHONE = /^\+[1-9]\d{1,14}$/;

/** The rules that need more than a field's own type: the HTTP schema checks the rest first. */
export function checkListingFields(fields: ListingFields): ListingFields {
  const problems: FieldProblem[] = [];
  const blank = (value: string) => trimInvisible(value).length === 0;
  if (blank(fields.name)) problems.push({ field: 'name', message: 'must not be blank' });
  if (blank(fields.description)) problems.push({ field: 'description', message: 'must not be blank' });
  for (const [key, field] of [
    ['streetAddress', 'street_address'],
    ['postalCode', 'postal_code'],
    ['city', 'city'],
  ] as const) {
    if (blank(fields.postalAddress[key])) problems.push({ field: `postal_address.${field}`, message: 'must not be blank' });
  }
  if (!isCountryCode(fields.postalAddress.country)) {
    problems.push({ field: 'postal_address.country', message: 'must be an ISO 3166-1 alpha-2 code such as FR' });
  }
  const L = LISTING_LIMITS;
  if (!(fields.latestPriceEur >= 0 && fields.latestPriceEur <= L.maxPriceEur)) {
    problems.push({ field: 'latest_price_eur', message: `must be a number from 0 to ${L.maxPriceEur}` });
  }
  if (!(fields.surfaceAreaM2 >= 0 && fields.surfaceAreaM2 <= L.maxSurfaceM2)) {
    problems.push({ field: 'surface_area_m2', message: `must be a number from 0 to ${L.maxSurfaceM2}` });
  }
  if (!Number.isInteger(fields.roomsCount) || fields.roomsCount < 1 || fields.roomsCount > L.maxRooms) {
    problems.push({ field: 'rooms_count', message: `must be an integer from 1 to ${L.maxRooms}` });
  }
  if (!Number.isInteger(fields.bedroomsCount) || fields.bedroomsCount < 0 || fields.bedroomsCount > L.maxRooms) {
    problems.push({ field: 'bedrooms_count', message: `must be an integer from 0 to ${L.maxRooms}` });
  }
  if (fields.contactPhoneNumber !== null && !PHONE.test(fields.contactPhoneNumber)) {
    problems.push({ field: 'contact_phone_number', message: 'must be an E.164 number such as +33612345678' });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  // Each count is valid; together they describe no home: unprocessable (422), not malformed.
  if (fields.bedroomsCount > fields.roomsCount) throw new InvalidRangeError('bedrooms_count', 'must not exceed rooms_count');
  return fields;
}

/** Cities match ignoring case and surrounding space; stores index this form. */
export function cityKey(city: string): string {
  return city.trim().toLowerCase();
}
