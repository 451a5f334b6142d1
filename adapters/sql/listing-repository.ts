import type { Kysely, Selectable, Transaction } from 'kysely';
import { cityKey, type Listing, type PriceEntry } from '../../internal/domain/listings/listing.js';
import type { ListingFilter, ListingRepository } from '../../internal/domain/listings/listing-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { toDate, type SqlDialectName } from './dialect.js';
import { idIs } from './ids.js';
import { keysetPage } from './keyset.js';
import type { Database, ListingsTable } from './schema.js';

type Row = Selectable<ListingsTable>;

export function toEntity(row: Row): Listing {
  return {
    id: row.id, ownerId: row.owner_id, name: row.name, description: row.description, buildingType: row.building_type,
    postalAddress: { streetAddress: row.street_address, postalCode: row.postal_code, city: row.city, country: row.country },
    latestPriceEur: Number(row.latest_price_eur), surfaceAreaM2: Number(row.surface_area_m2),
    roomsCount: Number(row.rooms_count), bedroomsCount: Number(row.bedrooms_count), contactPhoneNumber: row.contact_phone_number,
    createdDate: toDate(row.created_date), updatedDate: toDate(row.updated_date),
  };
}

/** The columns a replace may change: never the id, owner, creation date or price sequence. */
export function fieldsOf(listing: Listing) {
  const a = listing.postalAddress;
  return {
    name: listing.name, description: listing.description, building_type: listing.buildingType,
    street_address: a.streetAddress, postal_code: a.postalCode, city: a.city, city_key: cityKey(a.city), country: a.country,
    latest_price_eur: listing.latestPriceEur, surface_area_m2: listing.surfaceAreaM2,
    rooms_count: listing.roomsCount, bedrooms_count: listing.bedroomsCount, contact_phone_number: listing.contactPhoneNumber,
    updated_date: listing.updatedDate.toISOString(),
  };
}

export class SqlListingRepository implements ListingRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
  ) {}

  async create(listing: Listing): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('listings')
        .values({ ...fieldsOf(listing), id: listing.id, owner_id: listing.ownerId, price_seq: 1, created_date: listing.createdDate.toISOString() })
        .execute();
      await trx
        .insertInto('listing_prices')
        .values({ listing_id: listing.id, seq: 1, price_eur: listing.latestPriceEur, created_date: listing.createdDate.toISOString() })
        .execute();
    });
  }

  /**
   * One transaction that first locks the row (PostgreSQL: FOR UPDATE; SQLite runs one
   * writer at a time), so the price compared is the one the history ends at.
   */
  async replace(listing: Listing): Promise<Listing | null> {
    return this.db.transaction().execute(async (trx) => {
      const current = await this.lockedPrice(trx, listing.id);
      if (!current) return null;
      const changed = current.latest_price_eur !== listing.latestPriceEur;
      const seq = changed ? current.price_seq + 1 : current.price_seq;
      const row = await trx
        .updateTable('listings')
        .set({ ...fieldsOf(listing), price_seq: seq })
        .where('id', '=', listing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      if (changed) {
        await trx
          .insertInto('listing_prices')
          .values({ listing_id: listing.id, seq, price_eur: listing.latestPriceEur, created_date: listing.updatedDate.toISOString() })
          .execute();
      }
      return toEntity(row);
    });
  }

  async findById(id: string): Promise<Listing | null> {
    const row = await this.db.selectFrom('listings').selectAll().where(idIs('id', id)).executeTakeFirst();
    return row ? toEntity(row) : null;
  }

  page(filter: ListingFilter, request: PageRequest): Promise<Page<Listing>> {
    let query = this.db.selectFrom('listings').selectAll();
    if (filter.city !== undefined) query = query.where('city_key', '=', cityKey(filter.city));
    if (filter.buildingType) query = query.where('building_type', '=', filter.buildingType);
    if (filter.minPrice !== undefined) query = query.where('latest_price_eur', '>=', filter.minPrice);
    if (filter.maxPrice !== undefined) query = query.where('latest_price_eur', '<=', filter.maxPrice);
    return keysetPage(query, request, toEntity);
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('listing_prices').where(idIs('listing_id', id)).execute();
      const result = await trx.deleteFrom('listings').where(idIs('id', id)).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async prices(listingId: string): Promise<PriceEntry[]> {
    const rows = await this.db
      .selectFrom('listing_prices')
      .select(['price_eur', 'created_date'])
      .where(idIs('listing_id', listingId))
      .orderBy('seq', 'asc')
      .execute();
    return rows.map((r) => ({ listingId, priceEur: Number(r.price_eur), createdDate: toDate(r.created_date) }));
  }

  private lockedPrice(trx: Transaction<Database>, id: string) {
    const query = trx.selectFrom('listings').select(['latest_price_eur', 'price_seq']).where(idIs('id', id));
    return (this.dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  }
}
