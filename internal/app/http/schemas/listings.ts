import { COUNTRY_CODES } from '../../../domain/listings/countries.js';
import { Type, type Static } from '@sinclair/typebox';
import { LISTING_LIMITS as L, type Listing, type ListingFields, type PriceEntry } from '../../../domain/listings/listing.js';
import { Id, Named, PageOf, Text as SafeText, Timestamp, VisibleText } from './common.js';
import { isoTime } from '../../../domain/shared/time.js';

const Text = (max: number) => VisibleText({ maxLength: max });
const Price = (description: string) => Type.Number({ minimum: 0, maximum: L.maxPriceEur, description });
const BuildingType = Type.Union([Type.Literal('STUDIO'), Type.Literal('APARTMENT'), Type.Literal('HOUSE')]);

const PostalAddress = Type.Object(
  {
    street_address: Text(200),
    postal_code: Text(20),
    city: Text(100),
    country: Type.String({ enum: [...COUNTRY_CODES], description: 'ISO 3166-1 alpha-2, officially assigned' }),
  },
  { additionalProperties: false },
);

/** AVIV's listing fields; PUT replaces them all, so both verbs take the same body. */
export const ListingBody = Type.Object(
  {
    name: Text(200),
    postal_address: PostalAddress,
    description: Text(5000),
    building_type: BuildingType,
    latest_price_eur: Price('Euros'),
    surface_area_m2: Type.Number({ minimum: 0, maximum: L.maxSurfaceM2 }),
    rooms_count: Type.Integer({ minimum: 1, maximum: L.maxRooms }),
    bedrooms_count: Type.Integer({ minimum: 0, maximum: L.maxRooms, description: 'At most rooms_count' }),
    contact_phone_number: Type.Optional(Type.String({ pattern: '^\\+[1-9]\\d{1,14}$', description: 'E.164' })),
  },
  { additionalProperties: false },
);

export const PostalAddressOut = Type.Object(
  { street_address: Type.String(), postal_code: Type.String(), city: Type.String(), country: Type.String() },
  { $id: 'PostalAddress' },
);

export const ListingOut = Type.Object(
  {
    id: Id,
    name: Type.String(),
    postal_address: Named(PostalAddressOut),
    description: Type.String(),
    building_type: BuildingType,
    latest_price_eur: Type.Number(),
    surface_area_m2: Type.Number(),
    rooms_count: Type.Integer(),
    bedrooms_count: Type.Integer(),
    contact_phone_number: Type.Optional(Type.String()),
    created_date: Timestamp,
    updated_date: Timestamp,
  },
  { $id: 'Listing' },
);

export const ListingPage = PageOf(ListingOut);

export const PriceOut = Type.Object(
  { price_eur: Type.Number(), created_date: Timestamp, listing_id: Id },
  { $id: 'PricePoint', description: "One entry of a listing's price history" },
);

export const ListingQuery = {
  city: Type.Optional(SafeText({ minLength: 1, maxLength: 100, description: 'Ignoring case' })),
  building_type: Type.Optional(BuildingType),
  min_price: Type.Optional(Price('Only listings at this price or more')),
  max_price: Type.Optional(Price('Only listings at this price or less')),
};

export function listingFields(body: Static<typeof ListingBody>): ListingFields {
  const a = body.postal_address;
  return {
    name: body.name,
    postalAddress: { streetAddress: a.street_address, postalCode: a.postal_code, city: a.city, country: a.country },
    description: body.description,
    buildingType: body.building_type,
    latestPriceEur: body.latest_price_eur,
    surfaceAreaM2: body.surface_area_m2,
    roomsCount: body.rooms_count,
    bedroomsCount: body.bedrooms_count,
    contactPhoneNumber: body.contact_phone_number ?? null,
  };
}

export function listingOut(listing: Listing) {
  const a = listing.postalAddress;
  return {
    id: listing.id,
    name: listing.name,
    postal_address: { street_address: a.streetAddress, postal_code: a.postalCode, city: a.city, country: a.country },
    description: listing.description,
    building_type: listing.buildingType,
    latest_price_eur: listing.latestPriceEur,
    surface_area_m2: listing.surfaceAreaM2,
    rooms_count: listing.roomsCount,
    bedrooms_count: listing.bedroomsCount,
    ...(listing.contactPhoneNumber === null ? {} : { contact_phone_number: listing.contactPhoneNumber }),
    created_date: isoTime(listing.createdDate),
    updated_date: isoTime(listing.updatedDate),
  };
}

export function priceOut(entry: PriceEntry) {
  return { price_eur: entry.priceEur, created_date: isoTime(entry.createdDate), listing_id: entry.listingId };
}
