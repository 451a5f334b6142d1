import type { Driver } from 'neo4j-driver';
import { cityKey, type Listing, type PriceEntry } from '../../internal/domain/listings/listing.js';
import type { ListingFilter, ListingRepository } from '../../internal/domain/listings/listing-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { deleteWithParts } from './cascade.js';
import { keysetPage } from './keyset.js';
import { int, str, strOrNull, toNumber, type Props } from './records.js';

export function toEntity(p: Props): Listing {
  return {
    id: str(p, 'id'), ownerId: str(p, 'owner_id'), name: str(p, 'name'), description: str(p, 'description'),
    buildingType: str(p, 'building_type') as Listing['buildingType'],
    postalAddress: { streetAddress: str(p, 'street_address'), postalCode: str(p, 'postal_code'), city: str(p, 'city'), country: str(p, 'country') },
    latestPriceEur: toNumber(p.latest_price_eur), surfaceAreaM2: toNumber(p.surface_area_m2),
    roomsCount: toNumber(p.rooms_count), bedroomsCount: toNumber(p.bedrooms_count), contactPhoneNumber: strOrNull(p, 'contact_phone_number'),
    createdDate: new Date(str(p, 'created_date')), updatedDate: new Date(str(p, 'updated_date')),
  };
}

/** The properties a replace may change: never the id, owner, creation date or price sequence. */
export function fieldsOf(listing: Listing) {
  const a = listing.postalAddress;
  return {
    street_address: a.streetAddress, postal_code: a.postalCode, city: a.city, city_key: cityKey(a.city), country: a.country,
    name: listing.name, description: listing.description, building_type: listing.buildingType,
    // Integers as Neo4j integers, prices and areas as floats.
    rooms_count: int(listing.roomsCount), bedrooms_count: int(listing.bedroomsCount), contact_phone_number: listing.contactPhoneNumber,
    latest_price_eur: listing.latestPriceEur, surface_area_m2: listing.surfaceAreaM2,
    updated_date: listing.updatedDate.toISOString(),
  };
}

/** A listing's properties without the bookkeeping ones. */
export const LISTING = 'l {.*, _lock: null, price_seq: null}';

/** A listing is a node; its history hangs off it as (:Listing)-[:HAS_PRICE]->(:PriceEntry {seq}). */
export class Neo4jListingRepository implements ListingRepository {
  constructor(private readonly driver: Driver) {}

  async create(listing: Listing): Promise<void> {
    await this.driver.executeQuery(
      `CREATE (l:Listing {id: $id, owner_id: $owner, created_date: $created, price_seq: 1})
       SET l += $fields
       CREATE (l)-[:HAS_PRICE]->(:PriceEntry {seq: 1, price_eur: $fields.latest_price_eur, created_date: $created})`,
      { id: listing.id, owner: listing.ownerId, created: listing.createdDate.toISOString(), fields: fieldsOf(listing) },
    );
  }

  /**
   * One transaction that first takes the listing's write lock (the dummy SET), then compares
   * the price it now holds, so concurrent replaces queue and the history ends at the price.
   */
  async replace(listing: Listing): Promise<Listing | null> {
    const { records } = await this.driver.executeQuery(
      `MATCH (l:Listing {id: $id})
       SET l._lock = true
       WITH l
       WITH l, l.latest_price_eur <> $fields.latest_price_eur AS changed
       SET l += $fields, l.price_seq = l.price_seq + CASE WHEN changed THEN 1 ELSE 0 END
       REMOVE l._lock
       WITH l, changed
       FOREACH (_ IN CASE WHEN changed THEN [1] ELSE [] END |
         CREATE (l)-[:HAS_PRICE]->(:PriceEntry {seq: l.price_seq, price_eur: $fields.latest_price_eur, created_date: $fields.updated_date}))
       RETURN ${LISTING} AS l`,
      { id: listing.id, fields: fieldsOf(listing) },
    );
    const props = records[0]?.get('l') as Props | undefined;
    return props ? toEntity(props) : null;
  }

  async findById(id: string): Promise<Listing | null> {
    const { records } = await this.driver.executeQuery(`MATCH (l:Listing {id: $id}) RETURN ${LISTING} AS l`, { id }, { routing: 'READ' });
    const props = records[0]?.get('l') as Props | undefined;
    return props ? toEntity(props) : null;
  }

  page(filter: ListingFilter, request: PageRequest): Promise<Page<Listing>> {
    const conditions = [
      filter.city !== undefined && 'l.city_key = $city',
      filter.buildingType !== undefined && 'l.building_type = $type',
      filter.minPrice !== undefined && 'l.latest_price_eur >= $min',
      filter.maxPrice !== undefined && 'l.latest_price_eur <= $max',
    ];
    const params = {
      city: filter.city === undefined ? null : cityKey(filter.city),
      type: filter.buildingType ?? null,
      min: filter.minPrice ?? null,
      max: filter.maxPrice ?? null,
    };
    return keysetPage(this.driver, { match: 'MATCH (l:Listing)', key: 'l', conditions, returns: LISTING, params }, request, toEntity);
  }

  /** The history goes with the listing, in one transaction. */
  delete(id: string): Promise<boolean> {
    return deleteWithParts(this.driver, { label: 'Listing', rel: 'HAS_PRICE', part: 'PriceEntry' }, id);
  }

  async prices(listingId: string): Promise<PriceEntry[]> {
    const { records } = await this.driver.executeQuery(
      'MATCH (:Listing {id: $id})-[:HAS_PRICE]->(p:PriceEntry) RETURN p.price_eur AS price, p.created_date AS at ORDER BY p.seq',
      { id: listingId },
      { routing: 'READ' },
    );
    return records.map((r) => ({ listingId, priceEur: toNumber(r.get('price')), createdDate: new Date(String(r.get('at'))) }));
  }
}
