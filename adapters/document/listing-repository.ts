import type { Collection, Filter } from 'mongodb';
import { cityKey, type Listing, type PriceEntry } from '../../internal/domain/listings/listing.js';
import type { ListingFilter, ListingRepository } from '../../internal/domain/listings/listing-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { keysetPage } from './keyset.js';
import { toListing } from './records.js';
import type { ListingDoc } from './schema.js';

type ListingView = Omit<ListingDoc, 'price_history'>;

/** Reads leave the (possibly long) history on the server. */
const WITHOUT_HISTORY = { projection: { price_history: 0 } } as const;

/** The fields a replace may change: never the id, owner, creation date or history. */
function replaceableFields(listing: Listing): Omit<ListingView, '_id' | 'owner_id' | 'created_date'> {
  const a = listing.postalAddress;
  return {
    name: listing.name, description: listing.description, building_type: listing.buildingType,
    postal_address: { street_address: a.streetAddress, postal_code: a.postalCode, city: a.city, country: a.country }, city_key: cityKey(a.city),
    latest_price_eur: listing.latestPriceEur, surface_area_m2: listing.surfaceAreaM2,
    rooms_count: listing.roomsCount, bedrooms_count: listing.bedroomsCount, contact_phone_number: listing.contactPhoneNumber,
    updated_date: listing.updatedDate,
  };
}

export class MongoListingRepository implements ListingRepository {
  constructor(private readonly listings: Collection<ListingDoc>) {}

  async create(listing: Listing): Promise<void> {
    await this.listings.insertOne({
      ...replaceableFields(listing),
      _id: listing.id,
      owner_id: listing.ownerId,
      created_date: listing.createdDate,
      price_history: [{ price_eur: listing.latestPriceEur, created_date: listing.createdDate }],
    });
  }

  /**
   * Each attempt is one conditional single-document update: "the stored price differs: set the
   * fields and push the entry", else "the stored price is this one: set the fields". A replace
   * racing between the two makes neither match; it is then tried again on the new state.
   * The id, owner and creation date never change, so the stored listing is `listing` itself.
   */
  async replace(listing: Listing): Promise<Listing | null> {
    const fields = replaceableFields(listing);
    const price = listing.latestPriceEur;
    for (;;) {
      const changed = await this.listings.updateOne(
        { _id: listing.id, latest_price_eur: { $ne: price } },
        { $set: fields, $push: { price_history: { price_eur: price, created_date: listing.updatedDate } } },
      );
      if (changed.matchedCount > 0) return listing;
      const same = await this.listings.updateOne({ _id: listing.id, latest_price_eur: price }, { $set: fields });
      if (same.matchedCount > 0) return listing;
      if ((await this.listings.countDocuments({ _id: listing.id }, { limit: 1 })) === 0) return null;
    }
  }

  async findById(id: string): Promise<Listing | null> {
    const doc = await this.listings.findOne({ _id: id }, WITHOUT_HISTORY);
    return doc ? toListing(doc) : null;
  }

  page(filter: ListingFilter, request: PageRequest): Promise<Page<Listing>> {
    const query: Filter<ListingDoc> = {};
    if (filter.city !== undefined) query.city_key = cityKey(filter.city);
    if (filter.buildingType) query.building_type = filter.buildingType;
    if (filter.minPrice !== undefined || filter.maxPrice !== undefined) {
      query.latest_price_eur = {
        ...(filter.minPrice !== undefined ? { $gte: filter.minPrice } : {}),
        ...(filter.maxPrice !== undefined ? { $lte: filter.maxPrice } : {}),
      };
    }
    return keysetPage(this.listings, query, request, toListing, WITHOUT_HISTORY);
  }

  /** The history is embedded, so it goes with the listing in one delete. */
  async delete(id: string): Promise<boolean> {
    const result = await this.listings.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }

  async prices(listingId: string): Promise<PriceEntry[]> {
    const doc = await this.listings.findOne({ _id: listingId }, { projection: { price_history: 1 } });
    return (doc?.price_history ?? []).map((p) => ({ listingId, priceEur: p.price_eur, createdDate: p.created_date }));
  }
}
